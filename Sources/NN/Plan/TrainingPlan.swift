import NNTensor

/// A training step planned once for a network, a loss and an input shape (batch size included):
/// every activation, gradient and saved value has its buffer, allocated when the plan is made and
/// reused by every step, so a steady-state step allocates no memory and builds no graph.
///
/// `forward` computes the loss and `backward` adds each parameter's gradient into its `grad`,
/// exactly as `loss(network(input), classes:).backward()` does (the same kernels in the same
/// order, so the same bits): into the existing gradient, or as the first contribution after
/// `zeroGrad()`. The parameters are read at every step, so the optimizer and loading weights work
/// as usual.
///
/// Planned: a `Sequential`, or a `Graph` that is a plain chain (`Graph.chainModules`: functional
/// steps included), nested ones unrolled, of Conv2d (any geometry but `padding='same'` with
/// an odd dilation·(kernel − 1)), Linear, the activations (ReLU, LeakyReLU, ELU, GELU, Sigmoid,
/// Tanh), MaxPool2d, AvgPool2d, BatchNorm1d/2d (more than one value per channel), Flatten, Identity
/// and Dropout (its masks drawn as autograd draws them), in either mode; the loss
/// CrossEntropyLoss with class-index targets and reduction mean or sum (any weight, ignore_index
/// and label_smoothing). Anything else throws `TrainingPlanError.unsupported`.
public final class TrainingPlan {
    /// [N, …]: the batch the plan was made for.
    public let inputShape: [Int]
    /// The network's output for that batch.
    public let outputShape: [Int]
    /// One per layer; nil for a layer whose output is its input (Flatten, Identity, Dropout(p = 0)).
    private let layers: [(any PlannedLayer)?]
    /// The input and each layer's output: `layers.count + 1` buffers, nil for the input itself (read
    /// in place from the last `forward`'s tensor) and for the layers before the first that writes.
    private let activations: [UnsafeMutablePointer<Float>?]
    /// The gradient of each buffer of `activations`, alternating between two buffers; nil where
    /// nothing needs it (before the first layer with parameters).
    private let gradients: [UnsafeMutablePointer<Float>?]
    private let loss: PlannedClassificationLoss
    /// Every parameter with its shape when the plan was made, which the buffers assume.
    private let parameters: [(variable: Variable, shape: [Int])]
    private let memory = PlanMemory()
    /// The last `forward`'s input, kept (its storage is shared, not copied) for `backward`.
    private var lastInput: Tensor?

    /// Plans `network` (in training mode) with `loss` for inputs of `inputShape` [N, …]; throws
    /// `TrainingPlanError.unsupported` naming the first layer, loss or shape it cannot plan.
    public init(network: Module, loss: any Loss, inputShape: [Int]) throws(TrainingPlanError) {
        guard let crossEntropy = loss as? CrossEntropyLoss else {
            throw .unsupported("\(loss) is not planned (only CrossEntropyLoss is)")
        }
        guard inputShape.count >= 2, inputShape.allSatisfy({ $0 > 0 }) else {
            throw .unsupported("input shape \(inputShape) is not a non-empty batch [N, …]")
        }
        let modules = try Self.chain(network)
        try Self.checkParameters(of: modules)
        parameters = modules.flatMap { $0.parameters() }.map { ($0, $0.shape) }
        // A layer's input needs a gradient when a layer before it has parameters.
        let needsInputGradient = modules.indices.map { index in modules[..<index].contains { !$0.parameters().isEmpty } }
        var layers: [(any PlannedLayer)?] = [], shapes = [inputShape]
        // A ReLU followed by a MaxPool2d runs inside the pooling (`reluMaxPool2d`): its output is
        // never stored, the ReLU passes its input buffer on, and the pooling's gradient is ReLU's too.
        // A stride-1 Conv2d followed by ReLU and MaxPool2d runs as one layer that pools each image's
        // convolution output while it is in cache; the ReLU and the pooling pass their input on.
        var rectifyNext = false, fusedLayers = 0
        for (index, module) in modules.enumerated() {
            if fusedLayers > 0 {
                layers.append(nil)
                shapes.append(shapes[index])
                fusedLayers -= 1
                continue
            }
            if module is Conv2d, index + 2 < modules.count, modules[index + 1] is ReLU, modules[index + 2] is MaxPool2d,
               let fused = try Self.convolutionReLUMaxPooling(modules[index], modules[index + 2], input: shapes[index], memory: memory) {
                layers.append(fused.layer)
                shapes.append(fused.output)
                fusedLayers = 2
                continue
            }
            if module is ReLU, index + 1 < modules.count, modules[index + 1] is MaxPool2d {
                layers.append(nil)
                shapes.append(shapes[index])
                rectifyNext = true
                continue
            }
            var (layer, output) = try Self.plannedLayer(module, input: shapes[index], memory: memory)
            if rectifyNext, let pooling = layer as? PlannedMaxPooling {
                layer = PlannedReLUMaxPooling(pooling: pooling)
            }
            rectifyNext = false
            guard output.elementCount > 0 else { throw .unsupported("\(module.typeName) gives an empty output \(output)") }
            layers.append(layer)
            shapes.append(output)
        }
        guard let outputShape = shapes.last, outputShape.count >= 2 else {
            throw .unsupported("the network's output \(shapes.last ?? []) has no class dimension")
        }
        self.inputShape = inputShape
        self.outputShape = outputShape
        var activations: [UnsafeMutablePointer<Float>?] = [nil]
        for (index, layer) in layers.enumerated() {
            activations.append(layer == nil ? activations[index] : memory.floats(shapes[index + 1].elementCount))
        }
        // A layer reads its output's gradient and writes its input's, so two buffers of the largest
        // size serve every layer in turn (a layer that returns its input passes its buffer on).
        let largest = shapes.indices.map { index in index == layers.count || needsInputGradient[index] ? shapes[index].elementCount : 0 }.max()!
        let pair = [memory.floats(largest), memory.floats(largest)]
        var gradients = [UnsafeMutablePointer<Float>?](repeating: nil, count: layers.count + 1)
        gradients[layers.count] = pair[0]
        for index in layers.indices.reversed() where needsInputGradient[index] {
            gradients[index] = layers[index] == nil ? gradients[index + 1] : pair[gradients[index + 1] == pair[0] ? 1 : 0]
        }
        self.layers = layers
        self.activations = activations
        self.gradients = gradients
        self.loss = try PlannedClassificationLoss(crossEntropy, input: outputShape, memory: memory)
    }

    /// The batch size N.
    public var batchSize: Int { inputShape[0] }

    /// Runs the network on `input` (of `inputShape`, kept until the next `forward`) and returns the loss against `classes`
    /// (N·d… class indices); keeps what `backward()` needs. Throws, changing nothing, when the input's
    /// shape differs, a parameter or its gradient no longer has its shape, or a class is out of range
    /// (autograd's message).
    public func forward(_ input: Tensor, classes: [Int]) throws(NNError) -> Float {
        guard input.shape == inputShape else {
            throw .shapeMismatch("the training plan was made for input \(inputShape) but got \(input.shape)")
        }
        for (variable, shape) in parameters where variable.shape != shape || (variable.grad.map { $0.shape != shape } ?? false) {
            throw .shapeMismatch("the training plan was made for a parameter of shape \(shape), which now has shape \(variable.shape)"
                                 + (variable.grad.map { " and a gradient of shape \($0.shape)" } ?? ""))
        }
        try loss.checkTargets(classes)
        lastInput = input
        return input.scalars.withUnsafeBufferPointer { input in
            for index in layers.indices {
                guard let layer = layers[index], let output = activations[index + 1] else { continue }
                layer.forward(input: activation(index, input: input), output: output)
            }
            return loss.forward(logits: activation(layers.count, input: input), classes: classes)
        }
    }

    /// Adds the gradient of the last `forward`'s loss into every parameter's `grad` (nothing before
    /// the first `forward`).
    public func backward() {
        guard let lastInput else { return }
        loss.backward(logitsGradient: gradients[layers.count]!)
        lastInput.scalars.withUnsafeBufferPointer { input in
            for index in layers.indices.reversed() {
                guard let layer = layers[index], let outputGradient = gradients[index + 1] else { continue }
                layer.backward(input: activation(index, input: input), output: activation(index + 1, input: input),
                               outputGradient: outputGradient, inputGradient: gradients[index])
            }
        }
    }

    /// Activation `index` (0: the network's input) of the step on `input`.
    private func activation(_ index: Int, input: UnsafeBufferPointer<Float>) -> UnsafePointer<Float> {
        activations[index].map { UnsafePointer($0) } ?? input.baseAddress!
    }

    /// `forward` then `backward`: one step's loss and gradients.
    public func step(_ input: Tensor, classes: [Int]) throws(NNError) -> Float {
        let value = try forward(input, classes: classes)
        backward()
        return value
    }
}
