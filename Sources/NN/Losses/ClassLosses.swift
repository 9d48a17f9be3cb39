import NNTensor

/// Log-softmax over classes + negative log-likelihood, fused, as `nn.CrossEntropyLoss` with
/// class-index targets. input [N, C] or [N, C, d…] logits; target `.classes` of N·d… indices in
/// 0..<C (or `ignoreIndex`), in row-major order of [N, d…].
public struct CrossEntropyLoss: Loss {
    /// Per-class weight [C], or nil.
    public var weight: Tensor?
    public var ignoreIndex: Int
    public var reduction: Reduction
    /// ε in [0, 1]: targets become (1 − ε)·onehot + ε/C.
    public var labelSmoothing: Double

    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean,
                labelSmoothing: Double = 0.0) throws(NNError) {
        guard (0...1).contains(labelSmoothing) else {
            throw .invalidArgument("CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0 but is \(labelSmoothing)")
        }
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
        self.labelSmoothing = labelSmoothing
    }

    public func callAsFunction(_ input: Variable, _ target: LossTarget) throws(NNError) -> Variable {
        let options = ClassificationLossOptions(weight: weight?.scalars, ignoreIndex: ignoreIndex,
                                                labelSmoothing: Float(labelSmoothing), reduction: reduction)
        return try classificationLoss(input, targets: try classTarget(target, for: input, "CrossEntropyLoss"),
                                      fromLogits: true, options: options, lossName: "CrossEntropyLoss")
    }
}

/// Negative log-likelihood of log-probabilities, ℓ = −w_y·x[y], as `nn.NLLLoss`.
/// input [N, C] or [N, C, d…] log-probabilities; target `.classes` as for CrossEntropyLoss.
public struct NLLLoss: Loss {
    public var weight: Tensor?
    public var ignoreIndex: Int
    public var reduction: Reduction

    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
    }

    public func callAsFunction(_ input: Variable, _ target: LossTarget) throws(NNError) -> Variable {
        let options = ClassificationLossOptions(weight: weight?.scalars, ignoreIndex: ignoreIndex,
                                                labelSmoothing: 0, reduction: reduction)
        return try classificationLoss(input, targets: try classTarget(target, for: input, "NLLLoss"),
                                      fromLogits: false, options: options, lossName: "NLLLoss")
    }
}
