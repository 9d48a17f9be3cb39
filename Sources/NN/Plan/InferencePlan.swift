import NNTensor

/// A forward pass planned once for a network and an input shape (batch size included): the layers
/// of a `TrainingPlan` (the same kernels as autograd's forward pass, so the same bits) over buffers
/// allocated when the plan is made (an output no later layer reads gives its buffer to the next),
/// with no graph recorded and no memory allocated but the returned output. What `nnspec predict`,
/// `eval` and `bench --inference` run, in evaluation mode.
///
/// Plans what `TrainingPlan` plans (its list), frozen or shared parameters included, for the modes
/// the layers are in when it is made (evaluation: dropout off, BatchNorm's running statistics, and
/// BatchNorm over a single value per channel, which training mode cannot normalise).
public final class InferencePlan {
    /// [N, …]: the batch the plan was made for.
    public let inputShape: [Int]
    /// The network's output for that batch.
    public let outputShape: [Int]
    /// The network's layers with the mode each was planned in, which `outputs` checks.
    private let modes: [(layer: Module, isTraining: Bool)]
    /// Node 0 is the network's input; the others in forward order.
    private let nodes: [PlanNode]
    /// The node whose output is the network's.
    private let output: Int
    private let inputReaders: [any PlannedLayer]
    /// Every parameter and buffer (running statistics) with its shape when the plan was made.
    private let values: [(variable: Variable, shape: [Int])]
    private let memory = PlanMemory()

    /// Plans `network` for inputs of `inputShape` [N, …]; throws `TrainingPlanError.unsupported`
    /// naming the first layer or shape it cannot plan.
    public init(network: Module, inputShape: [Int]) throws(TrainingPlanError) {
        try TrainingPlan.checkBatchShape(inputShape)
        let unrolled = try UnrolledNetwork(network)
        modes = unrolled.nodes.compactMap(\.module).map { ($0, $0.isTraining) }
        values = (network.parameters() + network.namedBuffers().map(\.buffer)).map { ($0, $0.shape) }
        nodes = try TrainingPlan.plannedNodes(unrolled, inputShape: inputShape, buffers: .reused, memory: memory)
        self.inputShape = inputShape
        output = unrolled.output
        outputShape = nodes[output].shape
        inputReaders = nodes.inputReaders
    }

    /// The network's output for `input` (of `inputShape`), a new tensor of `outputShape`. Throws,
    /// computing nothing, when the input's shape differs, a parameter or buffer no longer has its
    /// shape, a layer's mode changed, or the input is not one the network takes
    /// (autograd's message).
    public func outputs(_ input: Tensor) throws(NNError) -> Tensor {
        guard input.shape == inputShape else {
            throw .shapeMismatch("the inference plan was made for input \(inputShape) but got \(input.shape)")
        }
        for (variable, shape) in values where variable.shape != shape {
            throw .shapeMismatch("the inference plan was made for a parameter of shape \(shape), which now has shape \(variable.shape)")
        }
        for (layer, isTraining) in modes where layer.isTraining != isTraining {
            throw .invalidArgument("the inference plan was made with \(layer.typeName) in \(isTraining ? "training" : "evaluation") mode, "
                                   + "which is now in \(layer.isTraining ? "training" : "evaluation") mode")
        }
        try inputReaders.checkNetworkInput(input)
        return input.scalars.withUnsafeBufferPointer { input in
            let network = input.baseAddress!
            nodes.runForward(network: network)
            return Tensor(shape: outputShape, scalars: Array(UnsafeBufferPointer(start: nodes.activation(output, network: network),
                                                                                 count: outputShape.elementCount)))
        }
    }
}
