/// A network whose nodes name their inputs, for skip connections: each node takes the outputs
/// of earlier nodes (or `input`, the network input) and the last node's output is the network's.
///
/// A node's module is registered as a child under the node's name, unless the node is a
/// functional step (PyTorch code calling `F.relu(x)` in `forward`) or applies a module that an
/// earlier node registered (`self.relu` used twice): those compute without registering, so
/// `print(net)` and `named_parameters()` list only what PyTorch's class registers.
public final class Graph: Module {
    /// One node: a named module and the names of the nodes it reads (nil: the previous node).
    public struct Node {
        public var name: String
        public var module: Module
        public var inputs: [String]?
        /// False for a functional step or a module applied again: computed, not registered.
        public var registers: Bool

        public init(_ name: String, _ module: Module, from inputs: [String]? = nil, registers: Bool = true) {
            self.name = name; self.module = module; self.inputs = inputs; self.registers = registers
        }
    }

    /// The reserved node name of the network input.
    public static let inputName = "input"

    private let name: String
    /// Every node in order (registered or not) and the names of the nodes it reads.
    private let steps: [(name: String, module: Module, reads: [String])]

    /// Checks that every node reads only earlier nodes (or `input`), that names are unique, and
    /// that each module gets as many inputs as it takes.
    public init(name: String = "Graph", _ nodes: [Node]) throws(NNError) {
        guard !nodes.isEmpty else { throw .invalidArgument("\(name) needs at least one node") }
        self.name = name
        var known: [String] = [Self.inputName]
        var steps: [(name: String, module: Module, reads: [String])] = []
        for node in nodes {
            guard !known.contains(node.name) else {
                throw .invalidArgument("\(name) has two nodes named '\(node.name)' (or a node named '\(Self.inputName)')")
            }
            let reads = node.inputs ?? [known.last!]
            for source in reads where !known.contains(source) {
                throw .unknownName("\(name) node '\(node.name)' reads '\(source)', which is not an earlier node; known: \(known.joined(separator: ", "))")
            }
            if let count = node.module.inputCount, count != reads.count {
                throw .invalidArgument("\(name) node '\(node.name)' (\(node.module.typeName)) takes \(count) input(s) but reads \(reads.count): \(reads)")
            }
            steps.append((node.name, node.module, reads))
            known.append(node.name)
        }
        self.steps = steps
        super.init()
        for node in nodes where node.registers { registerModule(node.name, node.module) }
    }

    override public var typeName: String { name }

    /// The modules in order when each node reads the one before (the first: the input), so the
    /// graph is a plain chain that a training plan may unroll; nil when any node reads otherwise.
    public var chainModules: [Module]? {
        var previous = Self.inputName
        for step in steps {
            guard step.reads == [previous] else { return nil }
            previous = step.name
        }
        return steps.map(\.module)
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        var outputs: [String: Variable] = [Self.inputName: input]
        var last = input
        for step in steps {
            last = try step.module(step.reads.map { outputs[$0]! })
            outputs[step.name] = last
        }
        return last
    }
}
