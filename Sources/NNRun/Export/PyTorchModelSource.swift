import NNCatalogue
import NNSpec

/// `model.py` of a spec: an `nn.Module` subclass named as the spec's `name`, its children
/// registered in `__init__` under the spec's layer names in spec order (so `print(net)`,
/// `named_parameters()` and `state_dict()` read as nnspec's), and `forward` following the flow
/// (`from:`, Add, Concat, functional steps as `F.relu(x)`). Classes torch.nn lacks (Add, Concat,
/// Reshape, nnspec's sequence layers) are defined first, then one class per block of the spec
/// (`ContainerClasses`); a plain nested `Sequential` is an `nn.Sequential`.
struct PyTorchModelSource {
    let spec: ValidatedSpec
    /// The spec file, for locating errors.
    let file: String

    /// The module's source; throws at the first layer type without a PyTorch mapping.
    func render() throws(ExportError) -> String {
        var classes: [Int: PyTorchClass] = [:]
        for (index, layer) in spec.layers.enumerated() where layer.role == .module {
            classes[index] = try pytorchClass(of: layer)
        }
        let layerClasses = spec.layers.indices.compactMap { classes[$0] }
        var containers = ContainerClasses()
        containers.collect(spec.steps, layers: spec.layers)
        try checkClassName(ownNames: Set(layerClasses.filter { $0.definition != nil }.map(\.name)).union(containers.names))
        let builder = ModuleExpressions(layers: spec.layers, classes: classes, containers: containers)
        var lines = [
            ExportedFile.pythonMarker,
            "\"\"\"The network \(PythonSyntax.string(spec.name)) of the nnspec spec \(PythonSyntax.string(fileName)).\"\"\"",
            "",
        ]
        if containers.needsOrderedDict { lines += ["from collections import OrderedDict", ""] }
        lines += ["import torch", "from torch import nn"]
        if spec.layers.contains(where: { if case .functional(let name) = $0.role { name.hasPrefix("F.") } else { false } }) {
            lines.append("from torch.nn import functional as F")
        }
        for definition in uniqueDefinitions(layerClasses) + containers.definitions() {
            lines += ["", ""] + definition.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        lines += ["", "", "class \(spec.name)(nn.Module):"]
        lines += ["    def __init__(self):", "        super().__init__()"]
        for (name, expression) in builder.children(of: spec.steps) { lines += registration(name, expression) }
        for layer in spec.layers {
            guard let embedding = layer.arguments.text("tie_weight") else { continue }
            lines.append("        \(Self.module(layer.name)).weight = \(Self.module(embedding)).weight")
        }
        let flow = ModuleExpressions.flow(of: spec.steps, layers: spec.layers)
        lines += ["", "    def forward(self, \(flow.inputVariable)):"]
        lines += flow.statements(indent: 8)
        return lines.joined(separator: "\n") + "\n"
    }

    private var fileName: String { String(file.split(separator: "/").last ?? Substring(file)) }

    /// The class of `layer`'s type, or an error at the layer when its catalogue entry has no PyTorch mapping.
    private func pytorchClass(of layer: ResolvedLayer) throws(ExportError) -> PyTorchClass {
        guard let pytorchClass = StandardCatalogue.pytorchClass(ofLayer: layer.typeName) else {
            throw ExportError(file: file, mark: layer.mark,
                              "layer \(layer.name) (\(layer.typeName)) cannot be exported: its catalogue entry has no PyTorch mapping (ExportableLayer)")
        }
        return pytorchClass
    }

    /// The definitions of own classes, each once, in order of first use.
    private func uniqueDefinitions(_ classes: [PyTorchClass]) -> [String] {
        var seen: Set<String> = []
        return classes.compactMap { pytorchClass in
            guard let definition = pytorchClass.definition, seen.insert(pytorchClass.name).inserted else { return nil }
            return definition
        }
    }

    /// The spec's `name` becomes the class name: it must be an identifier that no other class of model.py takes.
    private func checkClassName(ownNames: Set<String>) throws(ExportError) {
        guard PythonSyntax.isIdentifier(spec.name), !(ownNames.union(["torch", "nn", "F", "OrderedDict"])).contains(spec.name) else {
            throw ExportError(file: file,
                              "the spec's name '\(spec.name)' cannot name the Python class of model.py: write a name: of letters, digits and _ that is not a Python keyword, torch, nn\(ownNames.isEmpty ? "" : " or " + ownNames.sorted().joined(separator: ", "))")
        }
    }

    /// `self.head`, or `self.get_submodule("features.0")` for a path Python cannot write as attributes.
    private static func module(_ path: String) -> String {
        path.split(separator: ".").allSatisfy({ PythonSyntax.isIdentifier(String($0)) })
            ? "self.\(path)" : "self.get_submodule(\(PythonSyntax.string(path)))"
    }

    /// `self.conv1 = nn.Conv2d(...)`, or `self.add_module("3", nn.ReLU())` for a name Python cannot
    /// write as an attribute (an index).
    private func registration(_ name: String, _ expression: PythonExpression) -> [String] {
        if PythonSyntax.isIdentifier(name) { return expression.lines(prefix: "self.\(name) = ", indent: 8) }
        return PythonExpression.call("self.add_module", [.atom(PythonSyntax.string(name)), expression]).lines(indent: 8)
    }
}
