import NN
import NNCatalogue
import NNData
import NNSpec
import NNTensor

/// Turns a validated spec into the network PyTorch would build for it.
///
/// Each container (the network, a nested Sequential) whose steps are registered modules each
/// taking the previous one's output becomes a `Sequential`; one with `from:` connections,
/// functional steps or a module applied again a `Graph`. Either way the registered children are the
/// container's layers in spec order, named as the spec names them (`conv1`) or by their index
/// (`3`), so `namedParameters()` gives PyTorch's `named_parameters()` names and shapes
/// (`features.0.weight` inside a container), and `description` prints as `print(net)` with the
/// spec's `name` (control characters escaped, `\u{1b}`) as the class name.
public enum NetworkBuilder {
    /// The network of `spec`, its parameters initialised from `generator` layer by layer, in spec order.
    public static func build(_ spec: ValidatedSpec, generator: inout RandomGenerator) throws(BuildError) -> Module {
        var modules: [Module?] = []
        for layer in spec.layers {
            if case .reuse = layer.role {
                modules.append(nil)
            } else {
                modules.append(try StandardCatalogue.module(for: layer, generator: &generator))
            }
        }
        do {
            return try container(VisibleText.escaped(spec.name), spec.steps, layers: spec.layers, modules: modules)
        } catch {
            throw BuildError(mark: spec.layers.first?.mark, message: "\(spec.name): \(error.description)")
        }
    }

    /// The module of one container: its steps' modules (`modules[i]` built for `layers[i]`, nil for
    /// a module applied again) as a `Sequential` when they form a plain chain of registered modules,
    /// else as a `Graph`.
    private static func container(
        _ className: String, _ steps: [NetworkStep], layers: [ResolvedLayer], modules: [Module?]
    ) throws(NNError) -> Module {
        var nodes: [Graph.Node] = []
        var registered: [String: Module] = [:]
        for step in steps {
            switch step {
            case .layer(let index):
                let layer = layers[index]
                switch layer.role {
                case .module:
                    guard let module = modules[index] else { throw .invalidArgument("\(layer.name) has no module") }
                    registered[layer.localName] = module
                    nodes.append(Graph.Node(layer.localName, module, from: layer.inputs))
                case .functional:
                    guard let module = modules[index] else { throw .invalidArgument("\(layer.name) has no module") }
                    nodes.append(Graph.Node(layer.localName, module, from: layer.inputs, registers: false))
                case .reuse(let name):
                    guard let module = registered[name] else {
                        throw .unknownName("\(layer.name) applies '\(name)', which is not registered before it")
                    }
                    nodes.append(Graph.Node(layer.localName, module, from: layer.inputs, registers: false))
                }
            case .container(let nested):
                let module = try container(nested.className, nested.steps, layers: layers, modules: modules)
                nodes.append(Graph.Node(nested.name, module, from: nested.inputs))
            }
        }
        if isChain(nodes) {
            return try Sequential(name: className, nodes.map { ($0.name, $0.module) })
        }
        return try Graph(name: className, nodes)
    }

    /// True when every node is registered and reads exactly the previous node's output (the first: the input).
    private static func isChain(_ nodes: [Graph.Node]) -> Bool {
        nodes.indices.allSatisfy { index in
            nodes[index].registers && nodes[index].inputs == [index == 0 ? Graph.inputName : nodes[index - 1].name]
        }
    }
}
