import NNTensor

/// exp(x) normalised to sum 1 along `dim`, as `nn.Softmax`. input [*] → output [*].
public final class Softmax: Module {
    public let dim: Int

    public init(dim: Int) {
        self.dim = dim
        super.init()
    }

    override public var extraDescription: String { "dim=\(dim)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { try softmax(input, dim: dim, logarithm: false) }
}

/// log(softmax(x)) along `dim`, computed stably, as `nn.LogSoftmax`. input [*] → output [*].
public final class LogSoftmax: Module {
    public let dim: Int

    public init(dim: Int) {
        self.dim = dim
        super.init()
    }

    override public var extraDescription: String { "dim=\(dim)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { try softmax(input, dim: dim, logarithm: true) }
}
