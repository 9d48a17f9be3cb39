import NNTensor

/// CrossEntropyLoss with class-index targets over planned buffers, through the kernels of
/// autograd's `classificationLoss` (log-softmax, `ClassificationLossShape`), with reduction
/// mean or sum. input [N, C] or [N, C, d…] logits; targets N·d… class indices → loss [].
final class PlannedClassificationLoss: PlannedLoss {
    private let shape: ClassificationLossShape
    private let inputShape: [Int]
    private let reduction: Reduction
    /// Per-class weight [C] (ones when the loss has none) and its sum.
    private let weight: [Float], weightTotal: Float
    /// log-softmax of the last forward's input, [N, C, d…].
    private let logProbabilities: UnsafeMutablePointer<Float>
    /// The targets of the next (or last) forward pass, N·d….
    private let targets: UnsafeMutablePointer<Int>
    /// Σ w_y over the last forward's kept elements (the mean's divisor).
    private var denominator: Float = 0

    /// Throws when the input has no class dimension, the loss's reduction is `none` or its weight
    /// does not have C elements.
    init(_ loss: CrossEntropyLoss, input: [Int], memory: PlanMemory) throws(TrainingPlanError) {
        guard input.count >= 2 else { throw .unsupported("the network's output \(input) has no class dimension") }
        guard loss.reduction != .none else {
            throw .unsupported("CrossEntropyLoss with reduction 'none' gives one loss per element, not a scalar to train on")
        }
        shape = ClassificationLossShape(input: input, ignoreIndex: loss.ignoreIndex, labelSmoothing: Float(loss.labelSmoothing),
                                        fromLogits: true)
        let weight = loss.weight?.scalars ?? [Float](repeating: 1, count: shape.classes)
        guard weight.count == shape.classes else {
            throw .unsupported("CrossEntropyLoss weight has \(weight.count) elements but the network's output \(input) has \(shape.classes) classes")
        }
        inputShape = input
        reduction = loss.reduction
        self.weight = weight
        weightTotal = weight.reduce(0, +)
        logProbabilities = memory.floats(input.elementCount)
        targets = memory.integers(shape.batch * shape.spatial)
    }

    func setTarget(_ target: LossTarget) throws(NNError) {
        let classes = try classTarget(target, inputShape: inputShape, "CrossEntropyLoss")
        try checkClassTargets(classes, input: inputShape, ignoreIndex: shape.ignoreIndex, weightCount: nil, lossName: "CrossEntropyLoss")
        classes.withUnsafeBufferPointer { targets.update(from: $0.baseAddress!, count: $0.count) }
    }

    func forward(output logits: UnsafePointer<Float>) -> Float {
        softmax(outer: shape.batch, size: shape.classes, inner: shape.spatial, logarithm: true, input: logits, output: logProbabilities)
        let (total, denominator) = weight.withUnsafeBufferPointer { weight in
            shape.losses(logp: logProbabilities, targets: targets, weight: weight.baseAddress!, into: nil)
        }
        self.denominator = denominator
        return reduction == .mean ? total / denominator : total
    }

    /// Writes the gradient of the last forward's loss with respect to its logits (seed 1).
    func backward(outputGradient logitsGradient: UnsafeMutablePointer<Float>) {
        logitsGradient.update(repeating: 0, count: inputShape.elementCount)
        let scale: Float = reduction == .mean ? 1 / denominator : 1
        weight.withUnsafeBufferPointer { weight in
            shape.accumulateInputGradient(logp: logProbabilities, targets: targets, weight: weight.baseAddress!, weightTotal: weightTotal,
                                          uniformScale: scale, elementScales: nil, dx: logitsGradient)
        }
    }
}
