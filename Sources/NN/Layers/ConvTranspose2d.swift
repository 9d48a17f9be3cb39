import NNTensor

/// Transposed 2-D convolution, as `nn.ConvTranspose2d` (zero padding): each input position adds
/// its weighted kernel into the output at stride steps. input [N, in_channels, H, W] →
/// output [N, out_channels, OH, OW], OH = (H − 1)·stride − 2·padding + dilation·(KH − 1) + output_padding + 1.
/// weight [in_channels, out_channels/groups, KH, KW] ~ kaiming_uniform(a=√5);
/// bias [out_channels] ~ U(±1/√fan_in), fan_in = out_channels/groups·KH·KW (PyTorch's fan of this weight).
public final class ConvTranspose2d: Module {
    public let inChannels: Int, outChannels: Int
    /// In pair form, as PyTorch stores them.
    public let kernelSize: IntOrPair, stride: IntOrPair, padding: IntOrPair, outputPadding: IntOrPair, dilation: IntOrPair
    public let groups: Int
    public let weight: Variable
    public let bias: Variable?

    /// PyTorch's rules, including that output_padding is smaller than the stride or the dilation
    /// in each dimension.
    public init(inChannels: Int, outChannels: Int, kernelSize: IntOrPair, stride: IntOrPair = 1, padding: IntOrPair = 0,
                outputPadding: IntOrPair = 0, groups: Int = 1, bias: Bool = true, dilation: IntOrPair = 1,
                generator: inout RandomGenerator) throws(NNError) {
        try checkConvolutionArguments("ConvTranspose2d", inChannels: inChannels, outChannels: outChannels, groups: groups,
                                      padding: .sizes(padding), stride: stride,
                                      sizes: [("kernel_size", kernelSize), ("stride", stride), ("dilation", dilation)])
        let (extra, steps, spacing) = (outputPadding.values, stride.values, dilation.values)
        try requireNonNegative([("output_padding", extra.0), ("output_padding", extra.1)], in: "ConvTranspose2d")
        guard extra.0 < max(steps.0, spacing.0), extra.1 < max(steps.1, spacing.1) else {
            throw .invalidArgument("ConvTranspose2d: output_padding \(outputPadding) must be smaller than either stride \(stride) or dilation \(dilation)")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize.asPair
        self.stride = stride.asPair
        self.padding = padding.asPair
        self.outputPadding = outputPadding.asPair
        self.dilation = dilation.asPair
        self.groups = groups
        (weight, self.bias) = Initializer.convolutionParameters(
            weightShape: [inChannels, outChannels / groups, kernelSize.values.0, kernelSize.values.1],
            biasCount: bias ? outChannels : nil, generator: &generator)
        super.init()
        registerParameter("weight", weight)
        if let bias = self.bias { registerParameter("bias", bias) }
    }

    override public var extraDescription: String {
        convolutionDescription(
            inChannels, outChannels, kernelSize: "\(kernelSize)", stride: "\(stride)",
            padding: padding == .pair(0, 0) ? nil : "\(padding)", dilation: dilation == .pair(1, 1) ? nil : "\(dilation)",
            outputPadding: outputPadding == .pair(0, 0) ? nil : "\(outputPadding)", groups: groups, bias: bias != nil)
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try convTranspose2d(input, weight: weight, bias: bias, geometry: geometry)
    }

    /// Stride, padding, output padding, dilation and groups.
    var geometry: TransposedConvolutionGeometry {
        TransposedConvolutionGeometry(stride: stride.values, padding: padding.values, outputPadding: outputPadding.values,
                                      dilation: dilation.values, groups: groups)
    }
}
