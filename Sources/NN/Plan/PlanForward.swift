import NNTensor

/// The forward pass over planned nodes, which `TrainingPlan` and `InferencePlan` share.
extension Array where Element == PlanNode {
    /// The output of node `index` (the network's input for node 0 and its reshapes).
    func activation(_ index: Int, network: UnsafePointer<Float>) -> UnsafePointer<Float> {
        self[index].activation.map { UnsafePointer($0) } ?? network
    }

    /// Computes every node's output in order from the network's input `network`.
    func runForward(network: UnsafePointer<Float>) {
        for node in self {
            switch node.step {
            case .layer(let layer):
                layer.forward(input: activation(node.inputs[0], network: network), output: node.activation!)
            case .sum(let sum):
                sum.forward(input: { activation(node.inputs[$0], network: network) }, output: node.activation!)
            case .concatenation(let concatenation):
                concatenation.forward(input: { activation(node.inputs[$0], network: network) }, output: node.activation!)
            case .input, .reshape, .fused:
                break
            }
        }
    }

    /// The layers reading the network's input, which check it before any layer runs (an
    /// Embedding's token ids).
    var inputReaders: [any PlannedLayer] {
        compactMap { node in
            guard case .layer(let layer) = node.step, node.inputs == [0] else { return nil }
            return layer
        }
    }
}

extension Array where Element == any PlannedLayer {
    /// Throws autograd's error when one of these layers (a plan's `inputReaders`) does not take the
    /// network's `input`.
    func checkNetworkInput(_ input: Tensor) throws(NNError) {
        try input.scalars.withUnsafeBufferPointer { input throws(NNError) in
            for layer in self { try layer.checkNetworkInput(input) }
        }
    }
}
