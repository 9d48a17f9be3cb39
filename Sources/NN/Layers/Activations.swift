import NNTensor

/// A layer that applies one pointwise `Activation` (what a `TrainingPlan` runs for it).
protocol ActivationLayer {
    var function: Activation { get }
}

// `inplace` (ReLU, ReLU6, SiLU, Hardswish, Mish, LeakyReLU, ELU, and Dropout) is accepted and printed
// as PyTorch prints it, for API and print compatibility; the output is still a new tensor. Values and
// gradients are the same as PyTorch's in-place result, and the input is left unchanged.

/// An activation whose one argument is `inplace`, printed `inplace=True` when set (Hardswish never
/// prints it, as PyTorch). input [*] → output [*].
public class InplaceActivation: Module, ActivationLayer {
    public let inplace: Bool
    let function: Activation
    private let printsInplace: Bool

    init(_ function: Activation, inplace: Bool, printsInplace: Bool = true) {
        self.function = function
        self.inplace = inplace
        self.printsInplace = printsInplace
        super.init()
    }

    override public var extraDescription: String { inplace && printsInplace ? "inplace=True" : "" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, function) }
}

/// max(x, 0), as `nn.ReLU` (NaN stays NaN and −0 stays −0, as `torch.relu`).
public final class ReLU: InplaceActivation {
    public init(inplace: Bool = false) { super.init(.relu, inplace: inplace) }
}

/// min(max(x, 0), 6), as `nn.ReLU6` (NaN stays NaN and −0 stays −0, as `torch.clamp`).
public final class ReLU6: InplaceActivation {
    public init(inplace: Bool = false) { super.init(.relu6, inplace: inplace) }
}

/// x·σ(x), as `nn.SiLU`.
public final class SiLU: InplaceActivation {
    public init(inplace: Bool = false) { super.init(.silu, inplace: inplace) }
}

/// x·min(max(x + 3, 0), 6)/6, as `nn.Hardswish` (which prints no `inplace`).
public final class Hardswish: InplaceActivation {
    public init(inplace: Bool = false) { super.init(.hardswish, inplace: inplace, printsInplace: false) }
}

/// x·tanh(log(1 + eˣ)), as `nn.Mish`.
public final class Mish: InplaceActivation {
    public init(inplace: Bool = false) { super.init(.mish, inplace: inplace) }
}

/// x if x > 0 else negative_slope·x, as `nn.LeakyReLU`. input [*] → output [*].
public final class LeakyReLU: Module, ActivationLayer {
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

    var function: Activation { .leakyRelu(negativeSlope: Float(negativeSlope)) }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, function) }
}

/// x if x > 0 else alpha·(eˣ − 1), as `nn.ELU`. input [*] → output [*].
public final class ELU: Module, ActivationLayer {
    public let alpha: Double
    public let inplace: Bool

    public init(alpha: Double = 1.0, inplace: Bool = false) {
        self.alpha = alpha
        self.inplace = inplace
        super.init()
    }

    override public var extraDescription: String { "alpha=\(PythonRepr.float(alpha))" + PythonRepr.inplaceSuffix(inplace) }

    var function: Activation { .elu(alpha: Float(alpha)) }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, function) }
}

/// x·Φ(x), exact (`approximate: "none"`) or with the tanh approximation (`"tanh"`), as `nn.GELU`.
/// input [*] → output [*].
public final class GELU: Module, ActivationLayer {
    public let approximate: String

    public init(approximate: String = "none") throws(NNError) {
        guard approximate == "none" || approximate == "tanh" else {
            throw .invalidArgument("GELU: approximate must be 'none' or 'tanh' but is '\(approximate)'")
        }
        self.approximate = approximate
        super.init()
    }

    override public var extraDescription: String { "approximate='\(approximate)'" }

    var function: Activation { approximate == "tanh" ? .geluTanh : .gelu }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, function) }
}

/// 1/(1 + e⁻ˣ), as `nn.Sigmoid`. input [*] → output [*].
public final class Sigmoid: Module, ActivationLayer {
    var function: Activation { .sigmoid }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, function) }
}

/// tanh(x), as `nn.Tanh`. input [*] → output [*].
public final class Tanh: Module, ActivationLayer {
    var function: Activation { .tanh }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, function) }
}

/// log(1 + e^(beta·x))/beta, and x where beta·x > threshold, as `nn.Softplus`. input [*] → output [*].
public final class Softplus: Module, ActivationLayer {
    public let beta: Double
    public let threshold: Double

    public init(beta: Double = 1.0, threshold: Double = 20.0) {
        self.beta = beta
        self.threshold = threshold
        super.init()
    }

    override public var extraDescription: String { "beta=\(PythonRepr.float(beta)), threshold=\(PythonRepr.float(threshold))" }

    var function: Activation { .softplus(beta: Float(beta), threshold: Float(threshold)) }

    override public func forward(_ input: Variable) throws(NNError) -> Variable { activation(input, function) }
}
