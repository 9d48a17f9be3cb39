import NN

/// The body of a `forward` in model.py: one statement per step of a container, in spec order. A
/// value read only by the next step lives in `x`; a value read later too (a skip connection's
/// source, or the input read by `from: input` further on) keeps a variable of its own, named after
/// its step.
struct ForwardFlow {
    /// One step: its name in the container, the values it reads (`input` or earlier steps' names),
    /// and its call given the variables holding those values.
    struct Step {
        let name: String
        let inputs: [String]
        let call: ([String]) -> PythonExpression
    }

    let steps: [Step]
    /// Value name (a step's, or "input") → its own variable, for values that must outlive the next statement.
    private let variables: [String: String]

    init(steps: [Step]) {
        self.steps = steps
        variables = Self.variables(of: steps)
    }

    /// The chain's variable.
    private static let chain = "x"

    /// The name `forward` gives its argument: `x`, or `inputs` when a later step reads the input again.
    var inputVariable: String { variables[Graph.inputName] ?? Self.chain }

    /// `x = self.conv1(x)` …, `return x`, at `indent` spaces.
    func statements(indent: Int) -> [String] {
        var lines: [String] = []
        for step in steps {
            let arguments = step.inputs.map { variables[$0] ?? Self.chain }
            lines += step.call(arguments).lines(prefix: "\(variables[step.name] ?? Self.chain) = ", indent: indent)
        }
        let last = steps.last.map { variables[$0.name] ?? Self.chain } ?? inputVariable
        return lines + [String(repeating: " ", count: indent) + "return \(last)"]
    }

    /// The values read again after the next statement, each with a variable named after it.
    private static func variables(of steps: [Step]) -> [String: String] {
        var readers: [String: [Int]] = [:]
        for (index, step) in steps.enumerated() {
            for source in step.inputs { readers[source, default: []].append(index) }
        }
        var names: [String: String] = [:]
        var taken: Set<String> = [chain, "self", "torch", "nn", "F"]
        let values = [(Graph.inputName, -1)] + steps.enumerated().map { ($1.name, $0) }
        for (value, position) in values where (readers[value] ?? []).contains(where: { $0 != position + 1 }) {
            var variable = value == Graph.inputName ? "inputs" : (PythonSyntax.isIdentifier(value) ? value : "out\(value)")
            while taken.contains(variable) { variable += "_" }
            taken.insert(variable)
            names[value] = variable
        }
        return names
    }
}
