import NNTensor

/// 1-D convolution (cross-correlation), as `nn.Conv1d` with zero padding: a size, `'same'` (stride 1;
/// an odd dilation·(kernel − 1) puts the extra zero after, as PyTorch) or `'valid'`. Computed as a
/// Conv2d over a height-1 image. input [N, in_channels, L] → output [N, out_channels, OL].
/// weight [out_channels, in_channels/groups, K] ~ kaiming_uniform(a=√5);
/// bias [out_channels] ~ U(±1/√fan_in), fan_in = in_channels/groups·K.
public final class Conv1d: Module {
    public let inChannels: Int, outChannels: Int
    public let kernelSize: Int, stride: Int, dilation: Int
    /// `.sizes(.single(p))`, `same` or `valid`.
    public let padding: Conv2dPadding
    public let groups: Int
    public let weight: Variable
    public let bias: Variable?

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Conv2dPadding = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: inout RandomGenerator) throws(NNError) {
        if case .sizes(.pair) = padding { throw .invalidArgument("Conv1d: padding is one size, not a pair") }
        try checkConvolutionArguments("Conv1d", inChannels: inChannels, outChannels: outChannels, groups: groups,
                                      padding: padding, stride: .single(stride),
                                      sizes: [("kernel_size", .single(kernelSize)), ("stride", .single(stride)), ("dilation", .single(dilation))])
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        (weight, self.bias) = Initializer.convolutionParameters(
            weightShape: [outChannels, inChannels / groups, kernelSize], biasCount: bias ? outChannels : nil, generator: &generator)
        super.init()
        registerParameter("weight", weight)
        if let bias = self.bias { registerParameter("bias", bias) }
    }

    /// PyTorch's `_ConvNd.extra_repr` with one-element tuples: `kernel_size=(80,), stride=(16,)`.
    override public var extraDescription: String {
        let paddingText: String? = switch padding {
        case .sizes(let size): size.values.0 == 0 ? nil : PythonRepr.tuple([size.values.0])
        case .same, .valid: "\(padding)"
        }
        return convolutionDescription(
            inChannels, outChannels, kernelSize: PythonRepr.tuple([kernelSize]), stride: PythonRepr.tuple([stride]),
            padding: paddingText, dilation: dilation == 1 ? nil : PythonRepr.tuple([dilation]), groups: groups, bias: bias != nil)
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        let image = try signalAsImage(input, channels: inChannels, layer: "Conv1d(\(inChannels), \(outChannels))")
        let geometry = imageGeometry
        let span = dilation * (kernelSize - 1) + 1
        guard input.shape[2] + 2 * geometry.padding.1 + geometry.extraPadding.1 >= span else {
            throw .shapeMismatch("Conv1d kernel \(kernelSize) (padding \(padding), dilation \(dilation)) does not fit input \(input.shape)")
        }
        let kernel = try reshape(weight, to: imageWeightShape)
        return try imageAsSignal(try conv2d(image, weight: kernel, bias: bias, geometry: geometry))
    }

    /// The convolution as a Conv2d's over the height-1 image [N, C, 1, L].
    var imageGeometry: ConvolutionGeometry {
        let (before, after) = padding.amounts(kernelSize: (1, kernelSize), dilation: (1, dilation))
        return ConvolutionGeometry(stride: (1, stride), padding: (0, before.1), extraPadding: (0, after.1 - before.1),
                                   dilation: (1, dilation), groups: groups)
    }

    /// The weight [OC, C/groups, K] as the Conv2d weight [OC, C/groups, 1, K] (the same memory).
    var imageWeightShape: [Int] { [outChannels, inChannels / groups, 1, kernelSize] }
}
