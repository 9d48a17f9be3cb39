import NNTensor

/// Mean squared error, ℓ = (x − y)², as `nn.MSELoss`. input [*], target [*].
public struct MSELoss: Loss {
    public var reduction: Reduction
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public func callAsFunction(_ input: Variable, _ target: LossTarget) throws(NNError) -> Variable {
        pointwiseLoss(input, target: try valueTarget(target, for: input, "MSELoss"), pointwise, reduction: reduction)
    }

    var pointwise: PointwiseLoss { .squaredError }
}

/// Mean absolute error, ℓ = |x − y|, as `nn.L1Loss`. input [*], target [*].
public struct L1Loss: Loss {
    public var reduction: Reduction
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public func callAsFunction(_ input: Variable, _ target: LossTarget) throws(NNError) -> Variable {
        pointwiseLoss(input, target: try valueTarget(target, for: input, "L1Loss"), pointwise, reduction: reduction)
    }

    var pointwise: PointwiseLoss { .absoluteError }
}

/// Huber-like loss, ℓ = 0.5·d²/β if |d| < β else |d| − 0.5·β (d = x − y), as `nn.SmoothL1Loss`.
/// β = 0 is the L1 loss. input [*], target [*].
public struct SmoothL1Loss: Loss {
    public var reduction: Reduction
    public var beta: Double

    public init(reduction: Reduction = .mean, beta: Double = 1.0) throws(NNError) {
        guard beta >= 0 else { throw .invalidArgument("SmoothL1Loss: beta must not be negative but is \(beta)") }
        self.reduction = reduction
        self.beta = beta
    }

    public func callAsFunction(_ input: Variable, _ target: LossTarget) throws(NNError) -> Variable {
        pointwiseLoss(input, target: try valueTarget(target, for: input, "SmoothL1Loss"), pointwise, reduction: reduction)
    }

    /// β = 0 is the L1 loss.
    var pointwise: PointwiseLoss { beta == 0 ? .absoluteError : .smoothAbsoluteError(beta: Float(beta)) }
}
