import NNTensor

// `inplace` (ReLU, LeakyReLU, ELU, and Dropout) is accepted and printed as PyTorch prints it, for
// API and print compatibility; the output is still a new tensor. Values and gradients are the
// same as PyTorch's in-place result, and the input is left unchanged.

/// max(x, 0), as `nn.ReLU`. input [*] → output [*].
public final class ReLU: Module {
    public let inplace: Bool

    public init(inplace: Bool = false) {
        self.inplace = inplace
        super.init()
    }

    override public var extraDescription: String { inplace ? "inplace=True" : "" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, .relu) }
}

/// x if x > 0 else negative_slope·x, as `nn.LeakyReLU`. input [*] → output [*].
public final class LeakyReLU: Module {
    public let negativeSlope: Double
    public let inplace: Bool

    public init(negativeSlope: Double = 0.01, inplace: Bool = false) {
        self.negativeSlope = negativeSlope
        self.inplace = inplace
        super.init()
    }

    override public var extraDescription: String {
        "negative_slope=\(PythonRepr.float(negativeSlope))" + PythonRepr.inplaceSuffix(inplace)
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        activation(input, .leakyRelu(negativeSlope: Float(negativeSlope)))
    }
}

/// x if x > 0 else alpha·(eˣ − 1), as `nn.ELU`. input [*] → output [*].
public final class ELU: Module {
    public let alpha: Double
    public let inplace: Bool

    public init(alpha: Double = 1.0, inplace: Bool = false) {
        self.alpha = alpha
        self.inplace = inplace
        super.init()
    }

    override public var extraDescription: String { "alpha=\(PythonRepr.float(alpha))" + PythonRepr.inplaceSuffix(inplace) }

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
