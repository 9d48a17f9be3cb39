import NNTensor

/// A training step planned once for a network, a loss and an input shape (batch size included):
/// every activation, gradient and saved value has its buffer, allocated when the plan is made and
/// reused by every step, so a steady-state step allocates no memory and builds no graph.
///
/// `forward` computes the loss and `backward` adds each parameter's gradient into its `grad`,
/// exactly as `loss(network(input), target).backward()` does (the same kernels in the same
/// order, so the same bits): into the existing gradient, or as the first contribution after
/// `zeroGrad()`. The parameters are read at every step, so the optimizer and loading weights work
/// as usual.
///
/// Planned: a `Sequential` or a `Graph`, nested ones unrolled (`UnrolledNetwork`), with `from:`
/// branches joined by Add or Concat; the layers Conv2d (any geometry and groups but `padding='same'`
/// with an odd dilation·(kernel − 1)), Conv1d (the same), ConvTranspose2d, Upsample, GroupNorm, InstanceNorm2d,
/// Linear, the activations (ReLU, ReLU6, LeakyReLU, ELU, GELU,
/// Sigmoid, Tanh, SiLU, Hardswish, Softplus, Mish), MaxPool2d, AvgPool2d, AdaptiveAvgPool2d,
/// BatchNorm1d/2d (more than one value per channel), Flatten, Reshape, Identity, Dropout (its
/// masks drawn as autograd draws them), Embedding on the network's input, RNN, LSTM and GRU (one
/// direction, no dropout between stacked layers), Transpose, LayerNorm, LearnedPositionalEmbedding,
/// MultiheadAttention (self-attention of its one input), TransformerEncoderLayer (pre- or post-norm,
/// either activation, causal or not, either layout, its dropouts and the attention's drawn as
/// autograd draws them) and TransformerEncoder, in either mode; the losses CrossEntropyLoss with
/// class-index targets (any weight, ignore_index and label_smoothing), MSELoss, L1Loss and
/// SmoothL1Loss, with reduction mean or sum. Anything else (TransformerDecoderLayer, which reads two
/// inputs, among them) throws `TrainingPlanError.unsupported`.
public final class TrainingPlan {
    /// [N, …]: the batch the plan was made for.
    public let inputShape: [Int]
    /// The network's output for that batch.
    public let outputShape: [Int]
    /// Node 0 is the network's input; the others in forward order.
    private let nodes: [PlanNode]
    /// The node whose output is the network's.
    private let output: Int
    private let schedule: BackwardSchedule
    private let loss: any PlannedLoss
    /// The layers reading the network's input, which check it first (an Embedding's token ids).
    private let inputReaders: [any PlannedLayer]
    /// Every parameter with its shape when the plan was made, which the buffers assume.
    private let parameters: [(variable: Variable, shape: [Int])]
    private let memory = PlanMemory()
    /// The last `forward`'s input, kept (its storage is shared, not copied) for `backward`.
    private var lastInput: Tensor?

    /// Plans `network` (in training mode) with `loss` for inputs of `inputShape` [N, …]; throws
    /// `TrainingPlanError.unsupported` naming the first layer, loss or shape it cannot plan.
    public init(network: Module, loss: any Loss, inputShape: [Int]) throws(TrainingPlanError) {
        try TrainingPlan.checkBatchShape(inputShape)
        let network = try UnrolledNetwork(network)
        let modules = network.nodes.compactMap(\.module)
        try Self.checkParameters(of: modules)
        var seen = Set<ObjectIdentifier>()
        parameters = modules.filter { seen.insert(ObjectIdentifier($0)).inserted }.flatMap { $0.parameters() }.map { ($0, $0.shape) }
        let nodes = try Self.plannedNodes(network, inputShape: inputShape, memory: memory)
        // A node's output needs a gradient when its module or a node before it has parameters.
        var requireGradient = [Bool](repeating: false, count: nodes.count)
        for (index, node) in nodes.enumerated() { requireGradient[index] = node.hasParameters || node.inputs.contains { requireGradient[$0] } }
        guard requireGradient[network.output] else { throw .unsupported("the network's output depends on none of its parameters") }
        self.inputShape = inputShape
        outputShape = nodes[network.output].shape
        self.loss = try Self.plannedLoss(loss, output: outputShape, memory: memory)
        schedule = BackwardSchedule(output: network.output, inputs: nodes.map(\.inputs), requireGradient: requireGradient,
                                    sizes: nodes.map(\.count), rules: nodes.map(\.gradientRule), memory: memory)
        inputReaders = nodes.inputReaders
        self.nodes = nodes
        output = network.output
    }

    /// The batch size N.
    public var batchSize: Int { inputShape[0] }

    /// Runs the network on `input` (of `inputShape`, kept until the next `forward`) and returns the
    /// loss against `target`; keeps what `backward()` needs. Throws, changing nothing, when the
    /// input's shape differs, a parameter or its gradient no longer has its shape, or the target
    /// does not fit (autograd's message).
    public func forward(_ input: Tensor, target: LossTarget) throws(NNError) -> Float {
        guard input.shape == inputShape else {
            throw .shapeMismatch("the training plan was made for input \(inputShape) but got \(input.shape)")
        }
        for (variable, shape) in parameters where variable.shape != shape || (variable.grad.map { $0.shape != shape } ?? false) {
            throw .shapeMismatch("the training plan was made for a parameter of shape \(shape), which now has shape \(variable.shape)"
                                 + (variable.grad.map { " and a gradient of shape \($0.shape)" } ?? ""))
        }
        try inputReaders.checkNetworkInput(input)
        try loss.setTarget(target)
        lastInput = input
        return input.scalars.withUnsafeBufferPointer { input in
            let network = input.baseAddress!
            nodes.runForward(network: network)
            return loss.forward(output: nodes.activation(output, network: network))
        }
    }

    /// The loss against class indices (N·d…), as `forward(_:target:)`.
    public func forward(_ input: Tensor, classes: [Int]) throws(NNError) -> Float {
        try forward(input, target: .classes(classes))
    }

    /// Adds the gradient of the last `forward`'s loss into every parameter's `grad` (nothing before
    /// the first `forward`).
    public func backward() {
        guard let lastInput else { return }
        loss.backward(outputGradient: schedule.outputGradient)
        lastInput.scalars.withUnsafeBufferPointer { input in
            for step in schedule.steps { backward(step, network: input.baseAddress!) }
        }
    }

    /// One node's backward step: its parameters' gradients and its contributions to its inputs'.
    private func backward(_ step: BackwardSchedule.Step, network: UnsafePointer<Float>) {
        let node = nodes[step.node]
        switch node.step {
        case .layer(let layer):
            let input = activation(node.inputs[0], network: network), output = activation(step.node, network: network)
            guard let (_, inputGradient, contribution) = step.contributions.first else {
                return layer.backward(input: input, output: output, outputGradient: step.gradient, inputGradient: nil)
            }
            let count = nodes[node.inputs[0]].count
            if contribution == .added && !layer.addsIntoInputGradient {
                // Autograd adds the layer's new tensor to the gradient already there.
                let scratch = schedule.scratch!
                layer.backward(input: input, output: output, outputGradient: step.gradient, inputGradient: scratch)
                addAssign(UnsafeMutableBufferPointer(start: inputGradient, count: count), UnsafeBufferPointer(start: scratch, count: count))
                return
            }
            if contribution == .first && layer.addsIntoInputGradient {
                return layer.backward(input: input, output: output, outputGradient: step.gradient, firstInputGradient: inputGradient,
                                      count: count)
            }
            layer.backward(input: input, output: output, outputGradient: step.gradient, inputGradient: inputGradient)
        case .sum(let sum):
            sum.rectifyGradient(step.gradient, output: node.activation!)
            passOn(step, count: node.count)
        case .reshape:
            passOn(step, count: node.count)
        case .concatenation(let concatenation):
            for (input, inputGradient, contribution) in step.contributions {
                if contribution == .first { inputGradient.update(repeating: 0, count: nodes[node.inputs[input]].count) }
                concatenation.accumulateInputGradient(outputGradient: step.gradient, input: input, inputGradient: inputGradient)
            }
        case .input, .fused:
            break
        }
    }

    /// Passes a node's gradient on unchanged to each of its inputs' (Add, Flatten, Reshape).
    private func passOn(_ step: BackwardSchedule.Step, count: Int) {
        for (_, inputGradient, contribution) in step.contributions {
            passGradient(step.gradient, into: inputGradient, count: count, contribution)
        }
    }

    /// The output of node `index` (the network's input for node 0 and its reshapes).
    private func activation(_ index: Int, network: UnsafePointer<Float>) -> UnsafePointer<Float> {
        nodes.activation(index, network: network)
    }

    /// `forward` then `backward`: one step's loss and gradients.
    public func step(_ input: Tensor, target: LossTarget) throws(NNError) -> Float {
        let value = try forward(input, target: target)
        backward()
        return value
    }

    /// `step(_:target:)` against class indices.
    public func step(_ input: Tensor, classes: [Int]) throws(NNError) -> Float {
        try step(input, target: .classes(classes))
    }
}
