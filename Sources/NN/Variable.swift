import NNTensor

/// A tensor in the autograd graph: a value, its accumulated gradient and (for a computed value)
/// the operation that produced it. Parameters are leaf variables with `requiresGrad`.
///
/// As in PyTorch, `grad` is nil until the first backward pass reaches the variable, gradients
/// accumulate across backward passes, and `zeroGrad` (on a module or optimizer) clears them.
public final class Variable {
    /// The forward value.
    public var value: Tensor
    /// The accumulated gradient, of `value`'s shape; nil before the first backward pass.
    public var grad: Tensor?
    /// Whether backward computes a gradient for this variable (and the values computed from it).
    public let requiresGrad: Bool

    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
    }

    public var shape: [Int] { value.shape }
}
