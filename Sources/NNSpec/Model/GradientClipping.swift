/// `train: clip_grad_norm: {max_norm, norm_type}`: the gradients are scaled after each backward pass
/// so that their total norm is at most `maxNorm` (`torch.nn.utils.clip_grad_norm_`).
public struct GradientClipping: Sendable, Equatable {
    public var maxNorm: Double
    /// The p of the norm (2: Euclidean).
    public var normType: Double

    public init(maxNorm: Double, normType: Double = 2) {
        self.maxNorm = maxNorm
        self.normType = normType
    }

    /// The mapping's arguments, with PyTorch's default.
    public static let arguments = [
        ArgumentSpec("max_norm", .real(.nonNegative), "the largest total gradient norm"),
        ArgumentSpec("norm_type", .real(.positive), default: .real(2), "p of the p-norm over all gradients"),
    ]
}
