/// What Adam, NAdam and RAdam share: their hyperparameters, checked with PyTorch's messages, and
/// the start of their update (the gradient with weight decay, both moment estimates).
public struct MomentEstimates {
    /// β1 is changed between steps by OneCycleLR's momentum cycle.
    public var betas: (Double, Double)
    public let eps: Double
    public let weightDecay: Double
    /// The parameter shrinks by lr·weight_decay instead of the decay entering the gradient (AdamW's decay).
    public let decoupledWeightDecay: Bool
    public let maximize: Bool

    init(lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double, decoupledWeightDecay: Bool,
         maximize: Bool) throws(OptimizerError) {
        try require(lr >= 0, "Invalid learning rate: \(lr)")
        try require(eps >= 0, "Invalid epsilon value: \(eps)")
        try require((0..<1).contains(betas.0), "Invalid beta parameter at index 0: \(betas.0)")
        try require((0..<1).contains(betas.1), "Invalid beta parameter at index 1: \(betas.1)")
        try require(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.maximize = maximize
    }

    /// The float32 constants of one step at `learningRate`.
    func step(learningRate: Double) -> MomentStep {
        MomentStep(sign: maximize ? -1 : 1, coupledDecay: Float(decoupledWeightDecay ? 0 : weightDecay),
                   decoupledShrink: Float(decoupledWeightDecay ? 1 - learningRate * weightDecay : 1),
                   averageWeight: Float(1 - betas.0), beta2: Float(betas.1), squareWeight: Float(1 - betas.1), eps: Float(eps))
    }
}

/// One step's constants of `MomentEstimates`, as float32 (PyTorch's scalars in float32 tensor arithmetic).
struct MomentStep {
    let sign: Float, coupledDecay: Float, decoupledShrink: Float
    let averageWeight: Float, beta2: Float, squareWeight: Float, eps: Float

    /// Shrinks `parameter` (decoupled decay), then returns the gradient ±grad (+ weight_decay·p, coupled decay)
    /// after updating the moments `m = lerp(m, g, 1 − β1)` and `v = β2·v + (1 − β2)·g²`.
    @inline(__always)
    func update(gradient: Float, parameter: inout Float, m: inout Float, v: inout Float) -> Float {
        parameter *= decoupledShrink
        let g = sign * gradient + coupledDecay * parameter
        m = lerp(m, g, weight: averageWeight)
        v = beta2 * v + squareWeight * g * g
        return g
    }
}
