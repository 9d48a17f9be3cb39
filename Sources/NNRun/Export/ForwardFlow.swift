import NN
import NNSpec

/// The body of model.py's `forward`: one statement per layer, in spec order. A value read only by
/// the next layer lives in `x`; a value read later too (a skip connection's source, or the input
/// read by `from: input` further on) keeps a variable of its own, named after its layer.
struct ForwardFlow {
    let layers: [ResolvedLayer]
    /// Value name (a layer's, or "input") → its own variable, for values that must outlive the next statement.
    private let variables: [String: String]

    init(layers: [ResolvedLayer]) {
        self.layers = layers
        variables = Self.variables(of: layers)
    }

    /// The chain's variable.
    private static let chain = "x"

    /// The name `forward` gives its argument: `x`, or `inputs` when a later layer reads the input again.
    var inputVariable: String { variables[Graph.inputName] ?? Self.chain }

    /// `x = self.conv1(x)` …, `return x`; `module` writes how a child is called.
    func statements(calling module: (String) -> String) -> [String] {
        var lines: [String] = []
        for layer in layers {
            let arguments = layer.inputs.map { variables[$0] ?? Self.chain }
            let target = variables[layer.name] ?? Self.chain
            lines += PythonSyntax.call(module(layer.name), arguments, prefix: "\(target) = ", indent: 8)
        }
        let last = layers.last.map { variables[$0.name] ?? Self.chain } ?? inputVariable
        return lines + ["        return \(last)"]
    }

    /// The values of `layers` read again after the next statement, each with a variable named after it.
    private static func variables(of layers: [ResolvedLayer]) -> [String: String] {
        var readers: [String: [Int]] = [:]
        for (index, layer) in layers.enumerated() {
            for source in layer.inputs { readers[source, default: []].append(index) }
        }
        var names: [String: String] = [:]
        var taken: Set<String> = [chain, "self", "torch", "nn"]
        let values = [(Graph.inputName, -1)] + layers.enumerated().map { ($1.name, $0) }
        for (value, position) in values where (readers[value] ?? []).contains(where: { $0 != position + 1 }) {
            var variable = value == Graph.inputName ? "inputs" : (PythonSyntax.isIdentifier(value) ? value : "out\(value)")
            while taken.contains(variable) { variable += "_" }
            taken.insert(variable)
            names[value] = variable
        }
        return names
    }
}
