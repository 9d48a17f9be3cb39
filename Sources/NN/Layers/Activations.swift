import NNTensor

/// max(x, 0), as `nn.ReLU`. input [*] → output [*].
public final class ReLU: Module {
    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, .relu) }
}

/// x if x > 0 else negative_slope·x, as `nn.LeakyReLU`. input [*] → output [*].
public final class LeakyReLU: Module {
    public let negativeSlope: Double

    public init(negativeSlope: Double = 0.01) {
        self.negativeSlope = negativeSlope
        super.init()
    }

    override public var extraDescription: String { "negative_slope=\(PythonRepr.float(negativeSlope))" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        activation(input, .leakyRelu(negativeSlope: Float(negativeSlope)))
    }
}

/// x if x > 0 else alpha·(eˣ − 1), as `nn.ELU`. input [*] → output [*].
public final class ELU: Module {
    public let alpha: Double

    public init(alpha: Double = 1.0) {
        self.alpha = alpha
        super.init()
    }

    override public var extraDescription: String { "alpha=\(PythonRepr.float(alpha))" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, .elu(alpha: Float(alpha))) }
}

/// x·Φ(x), exact (`approximate: "none"`) or with the tanh approximation (`"tanh"`), as `nn.GELU`.
/// input [*] → output [*].
public final class GELU: Module {
    public let approximate: String

    public init(approximate: String = "none") throws(NNError) {
        guard approximate == "none" || approximate == "tanh" else {
            throw .invalidArgument("GELU: approximate must be 'none' or 'tanh' but is '\(approximate)'")
        }
        self.approximate = approximate
        super.init()
    }

    override public var extraDescription: String { "approximate='\(approximate)'" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        activation(input, approximate == "tanh" ? .geluTanh : .gelu)
    }
}

/// 1/(1 + e⁻ˣ), as `nn.Sigmoid`. input [*] → output [*].
public final class Sigmoid: Module {
    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, .sigmoid) }
}

/// tanh(x), as `nn.Tanh`. input [*] → output [*].
public final class Tanh: Module {
    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, .tanh) }
}
