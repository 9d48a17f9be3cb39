import NNTensor

/// How `TrainingPlan` turns an unrolled network's modules into planned steps: their shapes and one
/// `PlannedLayer` per layer.
extension TrainingPlan {
    /// Throws unless `inputShape` is a non-empty batch [N, …] (a training or inference plan's input).
    static func checkBatchShape(_ inputShape: [Int]) throws(TrainingPlanError) {
        guard inputShape.count >= 2, inputShape.allSatisfy({ $0 > 0 }) else {
            throw .unsupported("input shape \(inputShape) is not a non-empty batch [N, …]")
        }
    }

    /// Throws unless every parameter requires a gradient, appears once, and there is one at all.
    static func checkParameters(of modules: [Module]) throws(TrainingPlanError) {
        var seen = Set<ObjectIdentifier>()
        let parameters = modules.flatMap { $0.parameters() }
        guard !parameters.isEmpty else { throw .unsupported("the network has no parameters to train") }
        for parameter in parameters {
            guard parameter.requiresGrad, seen.insert(ObjectIdentifier(parameter)).inserted else {
                throw .unsupported("a parameter of shape \(parameter.shape) is frozen or shared between layers")
            }
        }
    }

    /// `normalization` on `input` (and `rectifier`, the ReLU or ReLU6 that alone reads its output, if
    /// given), or autograd's error for that input.
    static func plannedBatchNorm(_ normalization: BatchNormalization, input: [Int], rectifier: BatchNormRectifier?,
                                 memory: PlanMemory) throws(TrainingPlanError) -> PlannedBatchNorm {
        // Checked without running it: its forward pass in training mode updates the running statistics.
        do { try normalization.checkInput(input) } catch { throw .unsupported(error.description) }
        guard let planned = PlannedBatchNorm(normalization, input: input, rectifier: rectifier, memory: memory) else {
            throw .unsupported("\(normalization.typeName) on \(input) has a single value per channel")
        }
        return planned
    }

    /// `module`'s output shape for `input`, from a forward pass on zeros without a graph (so the
    /// shape and its errors are autograd's own). Called only for modules whose forward pass changes
    /// no state (no dropout draw, no running statistics).
    static func outputShape(of module: Module, input: [Int]) throws(TrainingPlanError) -> [Int] {
        try outputShape(of: module, inputs: [input])
    }

    /// `module`'s output shape for `inputs` (a join's), as `outputShape(of:input:)`.
    static func outputShape(of module: Module, inputs: [[Int]]) throws(TrainingPlanError) -> [Int] {
        do {
            return try noGrad { try module(inputs.map { Variable(Tensor(zeros: $0)) }).shape }
        } catch {
            let described = inputs.count == 1 ? "input \(inputs[0])" : "inputs \(inputs.map(\.description).joined(separator: ", "))"
            throw .unsupported("\(module.typeName) does not run on \(described): \(error)")
        }
    }

    /// The planned form of `module` (a layer, not a join or reshape) for `input` and its output
    /// shape. Throws for a module it cannot plan before running anything.
    static func plannedLayer(_ module: Module, input: [Int],
                             memory: PlanMemory) throws(TrainingPlanError) -> (layer: any PlannedLayer, output: [Int]) {
        switch module {
        case let convolution as Conv2d:
            let output = try outputShape(of: module, input: input)
            guard let planned = PlannedConvolution(convolution, input: input) else {
                throw .unsupported("Conv2d with padding='same' and an odd dilation·(kernel − 1) is not planned")
            }
            return (planned, output)
        case let convolution as Conv1d:
            let output = try outputShape(of: module, input: input)
            guard let planned = PlannedConvolution(convolution, input: input) else {
                throw .unsupported("Conv1d with padding='same' and an odd dilation·(kernel − 1) is not planned")
            }
            return (planned, output)
        case let convolution as ConvTranspose2d:
            let output = try outputShape(of: module, input: input)
            do { return (try PlannedTransposedConvolution(convolution, input: input, memory: memory), output) } catch {
                throw .unsupported(error.description)
            }
        case let upsampling as Upsample:
            let output = try outputShape(of: module, input: input)
            do { return (PlannedUpsample(interpolation: try upsampling.interpolation(input: input)), output) } catch {
                throw .unsupported(error.description)
            }
        case let linear as Linear:
            let output = try outputShape(of: module, input: input)
            return (PlannedLinear(linear, input: input), output)
        case let activation as any ActivationLayer:
            return (PlannedActivation(function: activation.function, count: input.elementCount), input)
        case is MaxPool2d, is MaxPool1d:
            let output = try outputShape(of: module, input: input)
            return (PlannedMaxPooling(window: try poolingWindow(of: module, input: input), batch: input[0], indices: memory.indices(output.elementCount)),
                    output)
        case is AvgPool2d, is AvgPool1d:
            let countIncludePad = (module as? AvgPool2d)?.countIncludePad ?? (module as! AvgPool1d).countIncludePad
            return (PlannedAveragePooling(window: try poolingWindow(of: module, input: input), batch: input[0], countIncludePad: countIncludePad),
                    try outputShape(of: module, input: input))
        case let normalization as BatchNormalization:
            return (try plannedBatchNorm(normalization, input: input, rectifier: nil, memory: memory), input)
        case let normalization as GroupNorm:
            let output = try outputShape(of: module, input: input)
            return (PlannedGroupNormalization(normalization, input: input, memory: memory), output)
        case let normalization as InstanceNorm2d:
            // Checked without running it: its forward pass in training mode updates the running statistics.
            do { try normalization.checkInput(input) } catch { throw .unsupported(error.description) }
            return (PlannedGroupNormalization(normalization, input: input, memory: memory), input)
        case is AdaptiveAvgPool2d:
            let output = try outputShape(of: module, input: input)
            return (PlannedAdaptiveAveragePooling(input: input, output: output), output)
        case is AdaptiveAvgPool1d:
            // As AdaptiveAvgPool2d over [N, C, 1, L] → [N, C, 1, OL], which its forward pass runs.
            let output = try outputShape(of: module, input: input)
            return (PlannedAdaptiveAveragePooling(input: [input[0], input[1], 1, input[2]], output: [output[0], output[1], 1, output[2]]),
                    output)
        case let dropout as Dropout:
            return (PlannedDropout(layer: dropout, count: input.elementCount, mask: memory.floats(input.elementCount)), input)
        case let embedding as Embedding:
            let output = try outputShape(of: module, input: input)
            return (PlannedEmbedding(embedding, input: input, memory: memory), output)
        case let recurrent as RecurrentNetwork:
            try PlannedRecurrent.checkPlanned(recurrent)
            let output = try outputShape(of: module, input: input)
            return (PlannedRecurrent(recurrent, input: input, memory: memory), output)
        case let transpose as Transpose:
            let output = try outputShape(of: module, input: input), rank = input.count
            // The dimensions as its forward pass, which accepted them, normalised them.
            return (PlannedTranspose(input: input, output: output, (transpose.dim0 + rank) % rank, (transpose.dim1 + rank) % rank), output)
        case let normalization as LayerNorm:
            let output = try outputShape(of: module, input: input)
            return (PlannedLayerNorm(normalization, input: input, memory: memory), output)
        case let positions as LearnedPositionalEmbedding:
            let output = try outputShape(of: module, input: input)
            return (PlannedPositionalEmbedding(positions, input: input), output)
        case let attention as MultiheadAttention:
            return (try plannedSelfAttention(attention, input: input, memory: memory), input)
        case let transformer as TransformerEncoderLayer:
            return (try plannedTransformerLayer(transformer, input: input, memory: memory), input)
        case let encoder as TransformerEncoder:
            return try plannedEncoder(encoder, input: input, memory: memory)
        default:
            throw .unsupported("\(module.typeName) layers are not planned")
        }
    }

    /// `convolution` (a Conv2d), a ReLU and `pooling` (a MaxPool2d) as one planned layer for `input`,
    /// with the pooling's output shape; nil when the convolution is not direct (`DirectConvolution`).
    static func convolutionReLUMaxPooling(_ convolution: Module, _ pooling: Module, input: [Int],
                                          memory: PlanMemory) throws(TrainingPlanError) -> (layer: any PlannedLayer, output: [Int])? {
        let (convolutionLayer, convolutionOutput) = try plannedLayer(convolution, input: input, memory: memory)
        guard let planned = convolutionLayer as? PlannedConvolution, convolutionOutput.elementCount > 0,
              DirectConvolution(planned.shape.window) != nil else {
            return nil
        }
        let (poolingLayer, output) = try plannedLayer(pooling, input: convolutionOutput, memory: memory)
        guard let maxPooling = poolingLayer as? PlannedMaxPooling,
              let fused = PlannedConvolutionReLUMaxPooling(planned, pooling: maxPooling, memory: memory) else { return nil }
        guard output.elementCount > 0 else { throw .unsupported("\(pooling.typeName) gives an empty output \(output)") }
        return (fused, output)
    }

    /// The window of a pooling layer (MaxPool2d, AvgPool2d, or a 1-D one over `input` [N, C, L] as the
    /// height-1 image [N, C, 1, L] its forward pass pools), which its forward pass accepted.
    private static func poolingWindow(of pooling: Module, input: [Int]) throws(TrainingPlanError) -> Window2d {
        let image = input.count == 3 ? [input[0], input[1], 1, input[2]] : input
        do {
            switch pooling {
            case let pooling as MaxPool2d: return try pooling.window(for: input)
            case let pooling as AvgPool2d: return try pooling.window(for: input)
            case let pooling as MaxPool1d: return try pooling.window(forImage: image)
            case let pooling as AvgPool1d: return try pooling.window(forImage: image)
            default: preconditionFailure("\(pooling.typeName) is not a pooling layer")
            }
        } catch {
            throw .unsupported("\(pooling.typeName) on \(input): \(error)")
        }
    }
}
