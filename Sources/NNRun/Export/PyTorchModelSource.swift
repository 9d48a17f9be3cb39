import NNCatalogue
import NNSpec

/// `model.py` of a spec: an `nn.Module` subclass named as the spec's `name`, its children
/// registered in `__init__` under the spec's layer names in spec order (so `print(net)`,
/// `named_parameters()` and `state_dict()` read as nnspec's), and `forward` following the flow
/// (`from:`, Add, Concat). Classes torch.nn lacks (Add, Concat, Reshape) are defined first.
struct PyTorchModelSource {
    let spec: ValidatedSpec
    /// The spec file, for locating errors.
    let file: String

    /// The module's source; throws at the first layer type without a PyTorch mapping.
    func render() throws(ExportError) -> String {
        let classes = try spec.layers.map { (layer) throws(ExportError) in try pytorchClass(of: layer) }
        let ownDefinitions = uniqueDefinitions(classes)
        try checkClassName(ownNames: Set(classes.filter { $0.definition != nil }.map(\.name)))
        var lines = [
            ExportedFile.pythonMarker,
            "\"\"\"The network \(PythonSyntax.string(spec.name)) of the nnspec spec \(PythonSyntax.string(fileName)).\"\"\"",
            "",
            "import torch",
            "from torch import nn",
        ]
        for definition in ownDefinitions { lines += ["", ""] + definition.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        lines += ["", "", "class \(spec.name)(nn.Module):"]
        lines += ["    def __init__(self):", "        super().__init__()"]
        for (layer, pytorchClass) in zip(spec.layers, classes) { lines += registration(of: layer, pytorchClass) }
        let flow = ForwardFlow(layers: spec.layers)
        lines += ["", "    def forward(self, \(flow.inputVariable)):"]
        lines += flow.statements(calling: moduleExpression)
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
        guard PythonSyntax.isIdentifier(spec.name), !(ownNames.union(["torch", "nn"])).contains(spec.name) else {
            throw ExportError(file: file,
                              "the spec's name '\(spec.name)' cannot name the Python class of model.py: write a name: of letters, digits and _ that is not a Python keyword, torch, nn\(ownNames.isEmpty ? "" : " or " + ownNames.sorted().joined(separator: ", "))")
        }
    }

    /// `self.conv1 = nn.Conv2d(...)`, or `self.add_module("3", nn.ReLU())` for a name Python cannot
    /// write as an attribute (an index).
    private func registration(of layer: ResolvedLayer, _ pytorchClass: PyTorchClass) -> [String] {
        let definition = StandardCatalogue.layers.first { $0.typeName == layer.typeName }?.arguments ?? []
        let arguments = PythonSyntax.keywordArguments(layer.arguments, declared: definition)
        if PythonSyntax.isIdentifier(layer.name) {
            return PythonSyntax.call(pytorchClass.name, arguments, prefix: "self.\(layer.name) = ", indent: 8)
        }
        let constructor = pytorchClass.name + "(" + arguments.joined(separator: ", ") + ")"
        return PythonSyntax.call("self.add_module", [PythonSyntax.string(layer.name), constructor], indent: 8)
    }

    /// How forward calls a child: `self.conv1`, or `self.get_submodule("3")`.
    private func moduleExpression(_ name: String) -> String {
        PythonSyntax.isIdentifier(name) ? "self.\(name)" : "self.get_submodule(\(PythonSyntax.string(name)))"
    }
}
