import NNTensor

extension TrainingPlan {
    /// How the nodes' outputs get their buffers.
    enum ActivationBuffers {
        /// One per node: a training plan's backward pass reads every output.
        case separate
        /// A buffer no later node reads is reused (a forward pass alone): the network's output
        /// keeps its own.
        case reused
    }

    /// The planned nodes of `network` for inputs of `inputShape`, indexed as the unrolled nodes, with
    /// their output buffers. A Conv2d (`DirectConvolution`) → ReLU → MaxPool2d, or a ReLU → MaxPool2d,
    /// whose intermediate outputs nothing else reads, runs as one layer at the pooling's node; a
    /// BatchNorm whose output only a ReLU or ReLU6 reads, as one layer at the activation's; an Add
    /// whose output only a ReLU reads, as one rectified sum at the ReLU's.
    static func plannedNodes(_ network: UnrolledNetwork, inputShape: [Int], buffers: ActivationBuffers = .separate,
                             memory: PlanMemory) throws(TrainingPlanError) -> [PlanNode] {
        let source = network.nodes, readers = network.readers
        /// The node that alone reads `node`'s output, when its module passes `test` (nil when several
        /// nodes, or the loss, read it).
        func soleReader(_ node: Int, where test: (Module) -> Bool) -> Int? {
            guard readers[node] == 1, node != network.output,
                  let reader = source.indices.first(where: { source[$0].inputs.contains(node) }), test(source[reader].module!) else { return nil }
            return reader
        }
        var nodes = [PlanNode(step: .input, inputs: [], shape: inputShape, hasParameters: false)]
        /// Layers planned at an earlier node for a later one (fusion), with the nodes they read.
        var fusedLayers: [Int: (layer: any PlannedLayer, inputs: [Int], output: [Int], hasParameters: Bool)] = [:]
        /// The ReLUs that a fused convolution-ReLU-pooling layer computes.
        var fusedNodes = Set<Int>()
        /// The poolings that a ReLU runs inside, with the ReLU's inputs.
        var rectifiedPoolings: [Int: [Int]] = [:]
        /// The ReLUs that run inside the Add they read, with the Add and its inputs.
        var rectifiedSums: [Int: (sum: Module, inputs: [Int])] = [:]
        for index in 1..<source.count {
            let module = source[index].module!, inputs = source[index].inputs
            if fusedNodes.contains(index) {
                nodes.append(PlanNode(step: .fused, inputs: inputs, shape: [], hasParameters: false))
                continue
            }
            if let fused = fusedLayers.removeValue(forKey: index) {
                nodes.append(PlanNode(step: .layer(fused.layer), inputs: fused.inputs, shape: fused.output, hasParameters: fused.hasParameters))
                continue
            }
            if let (sum, sumInputs) = rectifiedSums.removeValue(forKey: index) {
                nodes.append(try plannedNode(sum, inputs: sumInputs, rectified: true, shapes: nodes.map(\.shape), memory: memory))
                continue
            }
            if module is Add, let relu = soleReader(index, where: { $0 is ReLU }) {
                rectifiedSums[relu] = (module, inputs)
                nodes.append(PlanNode(step: .fused, inputs: inputs, shape: [], hasParameters: false))
                continue
            }
            if module is Conv2d, let relu = soleReader(index, where: { $0 is ReLU }), let pooling = soleReader(relu, where: { $0 is MaxPool2d }),
               let fused = try convolutionReLUMaxPooling(module, source[pooling].module!, input: nodes[inputs[0]].shape, memory: memory) {
                fusedLayers[pooling] = (fused.layer, inputs, fused.output, true)
                fusedNodes.insert(relu)
                nodes.append(PlanNode(step: .fused, inputs: inputs, shape: [], hasParameters: false))
                continue
            }
            if let normalization = module as? BatchNormalization,
               let rectifying = soleReader(index, where: { $0 is ReLU || $0 is ReLU6 }) {
                let input = nodes[inputs[0]].shape, rectifier: BatchNormRectifier = source[rectifying].module is ReLU6 ? .relu6 : .relu
                fusedLayers[rectifying] = (try plannedBatchNorm(normalization, input: input, rectifier: rectifier, memory: memory), inputs,
                                           input, !normalization.parameters().isEmpty)
                nodes.append(PlanNode(step: .fused, inputs: inputs, shape: [], hasParameters: false))
                continue
            }
            if module is ReLU, let pooling = soleReader(index, where: { $0 is MaxPool2d }) {
                rectifiedPoolings[pooling] = inputs
                nodes.append(PlanNode(step: .fused, inputs: inputs, shape: [], hasParameters: false))
                continue
            }
            let rectifiedInputs = rectifiedPoolings[index]
            let node = try plannedNode(module, inputs: rectifiedInputs ?? inputs, rectified: rectifiedInputs != nil,
                                       shapes: nodes.map(\.shape), memory: memory)
            guard node.count > 0 else { throw .unsupported("\(module.typeName) gives an empty output \(node.shape)") }
            nodes.append(node)
        }
        allocateActivations(&nodes, output: network.output, buffers: buffers, memory: memory)
        return nodes
    }

    /// Gives every node that computes an output (a layer, Add or Concat) its buffer, and a reshape its
    /// input's. `.reused`: nodes in order take the smallest free buffer that fits (else a new one);
    /// a buffer comes free once the last node reading it (or a reshape of it) has taken its own.
    private static func allocateActivations(_ nodes: inout [PlanNode], output: Int, buffers: ActivationBuffers, memory: PlanMemory) {
        /// The node whose buffer holds node i's output (a reshape's input's); nil for none.
        var owner = [Int?](repeating: nil, count: nodes.count)
        /// The last node reading each owner's buffer.
        var lastReader = Array(nodes.indices)
        for index in nodes.indices {
            switch nodes[index].step {
            case .layer, .sum, .concatenation: owner[index] = index
            case .reshape: owner[index] = owner[nodes[index].inputs[0]]
            case .input, .fused: break
            }
            for input in nodes[index].inputs { if let buffer = owner[input] { lastReader[buffer] = index } }
        }
        if let buffer = owner[output] { lastReader[buffer] = nodes.count }
        var free: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []
        var capacities: [Int: Int] = [:]
        for index in nodes.indices {
            guard let buffer = owner[index] else { continue }
            if buffer != index {
                nodes[index].activation = nodes[buffer].activation
                continue
            }
            let count = nodes[index].count
            if buffers == .reused, let best = free.indices.filter({ free[$0].capacity >= count }).min(by: { free[$0].capacity < free[$1].capacity }) {
                let taken = free.remove(at: best)
                nodes[index].activation = taken.pointer
                capacities[index] = taken.capacity
            } else {
                nodes[index].activation = memory.floats(count)
                capacities[index] = count
            }
            guard buffers == .reused else { continue }
            for (other, reader) in lastReader.enumerated() where reader == index && owner[other] == other {
                free.append((nodes[other].activation!, capacities[other]!))
            }
        }
    }

    /// The node applying `module` to `inputs`; `rectified`: a MaxPool2d that runs the ReLU before it
    /// (`inputs` are the ReLU's), or an Add that runs the ReLU after it (the node is the ReLU's).
    private static func plannedNode(_ module: Module, inputs: [Int], rectified: Bool, shapes: [[Int]],
                                    memory: PlanMemory) throws(TrainingPlanError) -> PlanNode {
        let inputShapes = inputs.map { shapes[$0] }
        let hasParameters = !module.parameters().isEmpty
        switch module {
        case is Add:
            let output = try outputShape(of: module, inputs: inputShapes)
            return PlanNode(step: .sum(PlannedSum(count: output.elementCount, inputs: inputs.count, rectified: rectified)), inputs: inputs, shape: output,
                            hasParameters: hasParameters)
        case let concat as Concat:
            let output = try outputShape(of: module, inputs: inputShapes)
            let axis = concat.dim < 0 ? concat.dim + output.count : concat.dim
            return PlanNode(step: .concatenation(PlannedConcatenation(inputs: inputShapes, axis: axis)), inputs: inputs, shape: output,
                            hasParameters: hasParameters)
        default:
            guard inputs.count == 1 else { throw .unsupported("\(module.typeName) reads \(inputs.count) inputs and is not planned") }
            guard !(module is Embedding) || inputs[0] == 0 else {
                throw .unsupported("an Embedding reading another layer's output is not planned (only the network's input)")
            }
            if module is Flatten || module is Reshape {
                return PlanNode(step: .reshape, inputs: inputs, shape: try outputShape(of: module, input: inputShapes[0]),
                                hasParameters: hasParameters)
            }
            var (layer, output) = try plannedLayer(module, input: inputShapes[0], memory: memory)
            if rectified, let pooling = layer as? PlannedMaxPooling {
                layer = PlannedReLUMaxPooling(pooling: pooling)
            }
            return PlanNode(step: .layer(layer), inputs: inputs, shape: output, hasParameters: hasParameters)
        }
    }
}
