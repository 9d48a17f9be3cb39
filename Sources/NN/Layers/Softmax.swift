import NNTensor

/// exp(x) normalised to sum 1 along `dim`, or its logarithm: what `Softmax` and `LogSoftmax` share.
/// input [*] → output [*].
public class SoftmaxAlongDimension: Module {
    public let dim: Int
    /// True for log(softmax(x)), computed stably.
    let logarithm: Bool

    init(dim: Int, logarithm: Bool) {
        self.dim = dim
        self.logarithm = logarithm
        super.init()
    }

    override public var extraDescription: String { "dim=\(dim)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try softmax(input, dim: dim, logarithm: logarithm)
    }
}

/// exp(x) normalised to sum 1 along `dim`, as `nn.Softmax`. input [*] → output [*].
public final class Softmax: SoftmaxAlongDimension {
    public init(dim: Int) { super.init(dim: dim, logarithm: false) }
}

/// log(softmax(x)) along `dim`, computed stably, as `nn.LogSoftmax`. input [*] → output [*].
public final class LogSoftmax: SoftmaxAlongDimension {
    public init(dim: Int) { super.init(dim: dim, logarithm: true) }
}
