import NNTensor

extension TrainingPlan {
    /// The planned nodes of `network` for inputs of `inputShape`, indexed as the unrolled nodes, with
    /// their output buffers. A Conv2d (stride 1) → ReLU → MaxPool2d, or a ReLU → MaxPool2d, whose
    /// intermediate outputs nothing else reads, runs as one layer at the pooling's node.
    static func plannedNodes(_ network: UnrolledNetwork, inputShape: [Int], memory: PlanMemory) throws(TrainingPlanError) -> [PlanNode] {
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
        var fusedLayers: [Int: (layer: any PlannedLayer, inputs: [Int], output: [Int])] = [:]
        /// The ReLUs that a fused convolution-ReLU-pooling layer computes.
        var fusedNodes = Set<Int>()
        /// The poolings that a ReLU runs inside, with the ReLU's inputs.
        var rectifiedPoolings: [Int: [Int]] = [:]
        for index in 1..<source.count {
            let module = source[index].module!, inputs = source[index].inputs
            if fusedNodes.contains(index) {
                nodes.append(PlanNode(step: .fused, inputs: inputs, shape: [], hasParameters: false))
                continue
            }
            if let fused = fusedLayers.removeValue(forKey: index) {
                nodes.append(PlanNode(step: .layer(fused.layer), inputs: fused.inputs, shape: fused.output, hasParameters: true))
                continue
            }
            if module is Conv2d, let relu = soleReader(index, where: { $0 is ReLU }), let pooling = soleReader(relu, where: { $0 is MaxPool2d }),
               let fused = try convolutionReLUMaxPooling(module, source[pooling].module!, input: nodes[inputs[0]].shape, memory: memory) {
                fusedLayers[pooling] = (fused.layer, inputs, fused.output)
                fusedNodes.insert(relu)
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
        for index in nodes.indices {
            switch nodes[index].step {
            case .layer, .sum, .concatenation: nodes[index].activation = memory.floats(nodes[index].count)
            case .reshape: nodes[index].activation = nodes[nodes[index].inputs[0]].activation
            case .input, .fused: break
            }
        }
        return nodes
    }

    /// The node applying `module` to `inputs`; `rectified`: a MaxPool2d that runs the ReLU before it
    /// (`inputs` are the ReLU's).
    private static func plannedNode(_ module: Module, inputs: [Int], rectified: Bool, shapes: [[Int]],
                                    memory: PlanMemory) throws(TrainingPlanError) -> PlanNode {
        let inputShapes = inputs.map { shapes[$0] }
        let hasParameters = !module.parameters().isEmpty
        switch module {
        case is Add:
            let output = try outputShape(of: module, inputs: inputShapes)
            return PlanNode(step: .sum(PlannedSum(count: output.elementCount, inputs: inputs.count)), inputs: inputs, shape: output,
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
