import NNTensor

/// A tensor in the autograd graph: a value, its accumulated gradient and (for a computed value)
/// the operation that produced it. Parameters are leaf variables with `requiresGrad`.
///
/// As in PyTorch, `grad` is nil until the first backward pass reaches the variable, gradients
/// accumulate across backward passes, and `zeroGrad` (on a module or optimizer) clears them.
/// Only leaves keep a gradient: a computed variable's gradient lives only during `backward`.
public final class Variable {
    /// The forward value. Assigning it (e.g. loading weights) keeps the variable's identity.
    public var value: Tensor
    /// The accumulated gradient, of `value`'s shape; nil before the first backward pass.
    public var grad: Tensor?
    /// Whether backward computes a gradient for this variable (and the values computed from it).
    public let requiresGrad: Bool
    /// The operation that computed this variable; nil for a leaf, and for a computed variable once
    /// a backward pass without `retainGraph` has freed it. It holds the operation's inputs (never
    /// this variable), so the graph is freed with its last output at the latest.
    var operation: (any DifferentiableOperation)?
    /// True for a variable not produced by a recorded operation (it stays false after backward
    /// frees the operation, as PyTorch's `is_leaf`).
    public let isLeaf: Bool
    /// The gradient flowing into a computed variable while `backward` runs.
    var pendingGradient: Tensor?

    /// A leaf: an input (`requiresGrad` false) or a parameter (`requiresGrad` true).
    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.operation = nil
        self.isLeaf = true
    }

    /// A computed variable produced by `operation` (created through `record`, which decides
    /// whether the operation is recorded at all).
    init(computed value: Tensor, operation: any DifferentiableOperation) {
        self.value = value
        self.requiresGrad = true
        self.operation = operation
        self.isLeaf = false
    }

    public var shape: [Int] { value.shape }

    /// Adds `gradient` (of this variable's shape) into the gradient slot: `grad` for a leaf that
    /// requires it, the pending gradient for a computed variable. The first contribution is stored
    /// without copying.
    func accumulateGradient(_ gradient: Tensor) {
        guard requiresGrad else { return }
        if isLeaf {
            if grad == nil { grad = gradient } else { grad!.add(gradient) }
        } else {
            if pendingGradient == nil { pendingGradient = gradient } else { pendingGradient!.add(gradient) }
        }
    }

    /// Lets `body` add into the gradient slot in place (zero-filled on first use), for kernels that
    /// accumulate (`sgemm` with beta 1, `col2im`, pooling backward).
    func accumulateGradient(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard requiresGrad else { return }
        if isLeaf {
            if grad == nil { grad = Tensor(zeros: shape) }
            grad!.scalars.withUnsafeMutableBufferPointer { body($0) }
        } else {
            if pendingGradient == nil { pendingGradient = Tensor(zeros: shape) }
            pendingGradient!.scalars.withUnsafeMutableBufferPointer { body($0) }
        }
    }
}

extension Variable {
    /// Runs `body` with the value's scalars (for the kernels, which take pointers).
    func withValue<Result>(_ body: (UnsafePointer<Float>) -> Result) -> Result {
        value.scalars.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

extension Optional where Wrapped == Variable {
    /// Runs `body` with the value's scalars, or nil without a variable (a layer without bias).
    func withValueIfPresent<Result>(_ body: (UnsafePointer<Float>?) -> Result) -> Result {
        guard let variable = self else { return body(nil) }
        return variable.withValue(body)
    }
}

extension Tensor {
    /// Adds `other` (same element count) element by element.
    mutating func add(_ other: Tensor) {
        other.scalars.withUnsafeBufferPointer { source in
            scalars.withUnsafeMutableBufferPointer { destination in
                addAssign(destination, source)
            }
        }
    }
}
