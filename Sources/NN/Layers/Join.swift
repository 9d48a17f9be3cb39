import NNTensor

/// The elementwise sum of any number of inputs of one shape (residual connections).
/// inputs [*] each → output [*]. Not a torch.nn class: PyTorch code writes `a + b`.
public final class Add: Module {
    override public var inputCount: Int? { nil }

    override public func forward(_ inputs: [Variable]) throws(NNError) -> Variable { try sum(inputs) }
}

/// Joins any number of inputs along `dim`, as `torch.cat(inputs, dim)`.
/// inputs [A…, dᵢ, B…] → output [A…, Σdᵢ, B…].
public final class Concat: Module {
    public let dim: Int

    public init(dim: Int = 1) {
        self.dim = dim
        super.init()
    }

    override public var inputCount: Int? { nil }

    override public var extraDescription: String { "dim=\(dim)" }

    override public func forward(_ inputs: [Variable]) throws(NNError) -> Variable { try concatenate(inputs, dim: dim) }
}
