import NNTensor

/// exp(x) normalised to sum 1 along `dim`, or its logarithm: what `Softmax` and `LogSoftmax` share.
/// input [*] → output [*].
public class SoftmaxAlongDimension: Module {
    /// nil: PyTorch's `dim=None`, chosen from each input's rank by `implicitDimension(rank:)`.
    public let dim: Int?
    /// True for log(softmax(x)), computed stably.
    let logarithm: Bool

    init(dim: Int?, logarithm: Bool) {
        self.dim = dim
        self.logarithm = logarithm
        super.init()
    }

    /// PyTorch's `_get_softmax_dim` (deprecated there): dim 0 for a 0-, 1- or 3-D input, else 1.
    public static func implicitDimension(rank: Int) -> Int { [0, 1, 3].contains(rank) ? 0 : 1 }

    override public var extraDescription: String { "dim=\(dim.map(String.init) ?? "None")" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try softmax(input, dim: dim ?? Self.implicitDimension(rank: input.shape.count), logarithm: logarithm)
    }
}

/// exp(x) normalised to sum 1 along `dim`, as `nn.Softmax`. input [*] → output [*].
public final class Softmax: SoftmaxAlongDimension {
    public init(dim: Int?) { super.init(dim: dim, logarithm: false) }
}

/// log(softmax(x)) along `dim`, computed stably, as `nn.LogSoftmax`. input [*] → output [*].
public final class LogSoftmax: SoftmaxAlongDimension {
    public init(dim: Int?) { super.init(dim: dim, logarithm: true) }
}
