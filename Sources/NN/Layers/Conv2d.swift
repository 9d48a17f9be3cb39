import NNTensor

/// 2-D convolution (cross-correlation), as `nn.Conv2d` with zero padding: explicit sizes, or
/// `'same'` (stride 1; an odd dilation·(kernel − 1) puts the extra zero after, as PyTorch) or `'valid'`.
/// input [N, in_channels, H, W] → output [N, out_channels, OH, OW].
/// weight [out_channels, in_channels/groups, KH, KW] ~ kaiming_uniform(a=√5);
/// bias [out_channels] ~ U(±1/√fan_in), fan_in = in_channels/groups·KH·KW.
public final class Conv2d: Module {
    public let inChannels: Int, outChannels: Int
    /// Always in pair form, as PyTorch stores them.
    public let kernelSize: IntOrPair, stride: IntOrPair, dilation: IntOrPair
    /// Sizes in pair form, or `same` / `valid` as given.
    public let padding: Conv2dPadding
    public let groups: Int
    public let weight: Variable
    public let bias: Variable?

    public init(inChannels: Int, outChannels: Int, kernelSize: IntOrPair, stride: IntOrPair = 1,
                padding: Conv2dPadding = 0, dilation: IntOrPair = 1, groups: Int = 1, bias: Bool = true,
                generator: inout RandomGenerator) throws(NNError) {
        let (kernelHeight, kernelWidth) = kernelSize.values
        try requirePositive([("in_channels", inChannels), ("out_channels", outChannels), ("groups", groups)], in: "Conv2d")
        try requirePositiveSizes([("kernel_size", kernelSize), ("stride", stride), ("dilation", dilation)], in: "Conv2d")
        switch padding {
        case .sizes(let sizes):
            try requireNonNegative([("padding", sizes.values.0), ("padding", sizes.values.1)], in: "Conv2d")
        case .same where stride.values != (1, 1):
            throw .invalidArgument("Conv2d: padding='same' is not supported for strided convolutions (stride \(stride))")
        case .same, .valid:
            break
        }
        guard inChannels % groups == 0, outChannels % groups == 0 else {
            throw .invalidArgument("Conv2d: in_channels \(inChannels) and out_channels \(outChannels) must both be divisible by groups \(groups)")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize.asPair
        self.stride = stride.asPair
        self.padding = padding.asPairs
        self.dilation = dilation.asPair
        self.groups = groups
        let fanIn = inChannels / groups * kernelHeight * kernelWidth
        let weightShape = [outChannels, inChannels / groups, kernelHeight, kernelWidth]
        weight = Variable(Initializer.kaimingUniform(shape: weightShape, fanIn: fanIn, generator: &generator), requiresGrad: true)
        self.bias = bias ? Variable(Initializer.fanInBias(shape: [outChannels], fanIn: fanIn, generator: &generator), requiresGrad: true) : nil
        super.init()
        registerParameter("weight", weight)
        if let bias = self.bias { registerParameter("bias", bias) }
    }

    override public var extraDescription: String {
        var text = "\(inChannels), \(outChannels), kernel_size=\(kernelSize), stride=\(stride)"
        if padding != .pair(0, 0) { text += ", padding=\(padding)" }
        if dilation != .pair(1, 1) { text += ", dilation=\(dilation)" }
        if groups != 1 { text += ", groups=\(groups)" }
        if bias == nil { text += ", bias=False" }
        return text
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try conv2d(input, weight: weight, bias: bias, geometry: geometry)
    }

    /// Stride, padding (the uneven half of `'same'` as extra padding after), dilation and groups.
    var geometry: ConvolutionGeometry {
        let (before, after) = padding.amounts(kernelSize: kernelSize.values, dilation: dilation.values)
        return ConvolutionGeometry(stride: stride.values, padding: before, extraPadding: (after.0 - before.0, after.1 - before.1),
                                   dilation: dilation.values, groups: groups)
    }
}
