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
        try checkConvolutionArguments("Conv2d", inChannels: inChannels, outChannels: outChannels, groups: groups,
                                      padding: padding, stride: stride, sizes: [("kernel_size", kernelSize), ("stride", stride), ("dilation", dilation)])
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize.asPair
        self.stride = stride.asPair
        self.padding = padding.asPairs
        self.dilation = dilation.asPair
        self.groups = groups
        (weight, self.bias) = Initializer.convolutionParameters(
            weightShape: [outChannels, inChannels / groups, kernelHeight, kernelWidth], biasCount: bias ? outChannels : nil,
            generator: &generator)
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
