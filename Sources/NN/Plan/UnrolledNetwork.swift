/// A network as the nodes a `TrainingPlan` runs: its containers (`Sequential`, `Graph`, nested)
/// unrolled into one list of modules in forward order, each reading earlier nodes, so that `from:`
/// branches, residual additions and concatenations are edges between nodes.
struct UnrolledNetwork {
    /// One application of a module to the outputs of earlier nodes.
    struct Node {
        /// nil for node 0, the network's input.
        let module: Module?
        /// Earlier nodes, in the order the module reads them.
        let inputs: [Int]
    }

    /// Node 0 is the network's input; the others in the order the network's forward pass runs them.
    private(set) var nodes = [Node(module: nil, inputs: [])]
    /// The node whose output is the network's.
    private(set) var output = 0

    /// Throws unless `network` is a `Sequential` or a `Graph`.
    init(_ network: Module) throws(TrainingPlanError) {
        guard network is Sequential || network is Graph else {
            throw .unsupported("\(network.typeName) is not planned (only Sequential and Graph networks are)")
        }
        output = try append(network, reading: [0])
    }

    /// Appends the nodes of `module` applied to `inputs` and returns the node of its output. Modules
    /// that return their input (Identity, Dropout(p = 0)) add no node, as they add no operation.
    private mutating func append(_ module: Module, reading inputs: [Int]) throws(TrainingPlanError) -> Int {
        switch module {
        case is Sequential, is Graph:
            guard inputs.count == 1 else { throw .unsupported("\(module.typeName) reads \(inputs.count) inputs") }
            return try appendContainer(module, input: inputs[0])
        case is Identity where inputs.count == 1:
            return inputs[0]
        case let dropout as Dropout where dropout.p == 0 && inputs.count == 1:
            return inputs[0]
        default:
            nodes.append(Node(module: module, inputs: inputs))
            return nodes.count - 1
        }
    }

    private mutating func appendContainer(_ container: Module, input: Int) throws(TrainingPlanError) -> Int {
        if let graph = container as? Graph {
            var outputs = [Graph.inputName: input], last = input
            for step in graph.steps {
                last = try append(step.module, reading: step.reads.map { outputs[$0]! })
                outputs[step.name] = last
            }
            return last
        }
        var last = input
        for child in container.children { last = try append(child.module, reading: [last]) }
        return last
    }

    /// How many nodes read each node's output (twice when one node reads it twice); the network's
    /// output counts the loss.
    var readers: [Int] {
        var counts = [Int](repeating: 0, count: nodes.count)
        for node in nodes { for input in node.inputs { counts[input] += 1 } }
        counts[output] += 1
        return counts
    }
}
