import NNCatalogue
import NNSpec

/// The Python expressions of model.py's modules and calls: a layer's constructor with its
/// non-default arguments, a nested container's (`nn.Sequential(...)` or its block class), and the
/// steps of a container's `forward`.
struct ModuleExpressions {
    let layers: [ResolvedLayer]
    /// The PyTorch class of each registered layer, by its index in `layers`.
    let classes: [Int: PyTorchClass]
    let containers: ContainerClasses

    /// The registered children of a container's steps, in order: (name in the container, constructor).
    func children(of steps: [NetworkStep]) -> [(name: String, expression: PythonExpression)] {
        steps.compactMap { step in
            switch step {
            case .layer(let index):
                guard let pytorchClass = classes[index] else { return nil }
                return (layers[index].localName, constructor(layers[index], pytorchClass))
            case .container(let container):
                return (container.name, expression(of: container))
            }
        }
    }

    /// `nn.Conv2d(in_channels=1, ...)`: the class with the arguments that differ from the catalogue's
    /// defaults, then the layers written as arguments (`encoder_layer=nn.TransformerEncoderLayer(...)`),
    /// each torch.nn's own class, which the owner calls with PyTorch's keywords.
    private func constructor(_ layer: ResolvedLayer, _ pytorchClass: PyTorchClass) -> PythonExpression {
        func keywords(_ typeName: String, _ arguments: Arguments) -> [PythonExpression] {
            let omitted = StandardCatalogue.pytorchClass(ofLayer: typeName)?.omittedArguments ?? []
            let declared = (StandardCatalogue.layers.first { $0.typeName == typeName }?.arguments ?? [])
                .filter { !omitted.contains($0.name) }
            return PythonSyntax.keywordArguments(arguments, declared: declared).map(PythonExpression.atom)
        }
        let nested = layer.nested.map { PythonExpression.keyword($0.key, .call("nn." + $0.typeName, keywords($0.typeName, $0.arguments))) }
        return .call(pytorchClass.name, nested + keywords(layer.typeName, layer.arguments))
    }

    /// The constructor of a nested container: `nn.Sequential(a, b)` (or `OrderedDict` of named
    /// children) for a plain chain, its block's class otherwise (`ContainerClasses`).
    func expression(of container: ResolvedContainer) -> PythonExpression {
        let children = self.children(of: container.steps)
        let className = container.className == "Sequential" ? "nn.Sequential" : container.className
        if containers.isSequential(container, layers: layers) {
            if children.enumerated().allSatisfy({ $1.name == String($0) }) { return .call(className, children.map(\.expression)) }
            let pairs = children.map { PythonExpression.call("", [.atom(PythonSyntax.string($0.name)), $0.expression]) }
            return .call(className, [.call("OrderedDict", [.list(pairs)])])
        }
        var arguments = children.map { child in
            PythonExpression.keyword(ContainerClasses.parameter(child.name), child.expression)
        }
        if let flow = containers.flowIndex(of: container, layers: layers) { arguments.append(.atom("flow=\(flow)")) }
        return .call(container.className, arguments)
    }

    /// The forward pass of a container's steps.
    static func flow(of steps: [NetworkStep], layers: [ResolvedLayer]) -> ForwardFlow {
        ForwardFlow(steps: steps.map { step in
            switch step {
            case .layer(let index):
                let layer = layers[index]
                return ForwardFlow.Step(name: layer.localName, inputs: layer.inputs) { arguments in call(layer, arguments) }
            case .container(let container):
                return ForwardFlow.Step(name: container.name, inputs: container.inputs) { arguments in
                    .call(module(container.name), arguments.map(PythonExpression.atom))
                }
            }
        })
    }

    /// `self.conv1(x)`, `F.relu(x)`, `torch.cat([a, b], dim=1)`, or the module applied again.
    private static func call(_ layer: ResolvedLayer, _ arguments: [String]) -> PythonExpression {
        switch layer.role {
        case .module: return .call(module(layer.localName), arguments.map(PythonExpression.atom))
        case .reuse(let name): return .call(module(name), arguments.map(PythonExpression.atom))
        case .functional(let function):
            let definition = StandardCatalogue.functionals.first { $0.name == function }
            let layerType = StandardCatalogue.layers.first { $0.typeName == layer.typeName }
            let declared = definition.flatMap { definition in layerType.map { definition.arguments(of: $0) } } ?? []
            let keywords = PythonSyntax.keywordArguments(layer.arguments, declared: declared).map(PythonExpression.atom)
            // torch.cat takes its tensors as one sequence.
            let values = function == "torch.cat" ? ["[" + arguments.joined(separator: ", ") + "]"] : arguments
            return .call(function, values.map(PythonExpression.atom) + keywords)
        }
    }

    /// How forward calls a child: `self.conv1`, or `self.get_submodule("3")`.
    static func module(_ name: String) -> String {
        PythonSyntax.isIdentifier(name) ? "self.\(name)" : "self.get_submodule(\(PythonSyntax.string(name)))"
    }
}
