import NNTensor

/// y = x·Wᵀ + b, as `nn.Linear`. input [*, in_features] → output [*, out_features].
/// weight [out_features, in_features] ~ kaiming_uniform(a=√5); bias [out_features] ~ U(±1/√in).
public final class Linear: Module {
    public let inFeatures: Int, outFeatures: Int
    public let weight: Variable
    public let bias: Variable?
    /// The class name printed: `Linear`, or `NonDynamicallyQuantizableLinear` for MultiheadAttention's out_proj.
    private let className: String

    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, className: String = "Linear",
                generator: inout RandomGenerator) throws(NNError) {
        try requireNonNegative([("in_features", inFeatures), ("out_features", outFeatures)], in: className)
        self.className = className
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let weightValue = Initializer.kaimingUniform(shape: [outFeatures, inFeatures], fanIn: inFeatures, generator: &generator)
        let biasValue = bias ? Initializer.fanInBias(shape: [outFeatures], fanIn: inFeatures, generator: &generator) : nil
        weight = Variable(weightValue, requiresGrad: true)
        self.bias = biasValue.map { Variable($0, requiresGrad: true) }
        super.init()
        registerParameter("weight", weight)
        if let bias = self.bias { registerParameter("bias", bias) }
    }

    override public var typeName: String { className }

    override public var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(PythonRepr.bool(bias != nil))"
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try linear(input, weight: weight, bias: bias)
    }
}
