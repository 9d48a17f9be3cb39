import NNTensor

/// Max over sliding windows, as `nn.MaxPool2d` (padding counts as −∞).
/// input [N, C, H, W] → output [N, C, OH, OW].
public final class MaxPool2d: Module {
    /// As given (an integer or a pair), since PyTorch prints them as given.
    public let kernelSize: IntOrPair, stride: IntOrPair, padding: IntOrPair, dilation: IntOrPair
    public let ceilMode: Bool

    /// `stride` defaults to `kernelSize`, as in PyTorch.
    public init(kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0, dilation: IntOrPair = 1,
                ceilMode: Bool = false) throws(NNError) {
        let stride = stride ?? kernelSize
        try requirePositive([("kernel_size", kernelSize.values.0), ("kernel_size", kernelSize.values.1),
                             ("stride", stride.values.0), ("stride", stride.values.1),
                             ("dilation", dilation.values.0), ("dilation", dilation.values.1)], in: "MaxPool2d")
        try requireHalfKernelPadding(padding, kernelSize: kernelSize, in: "MaxPool2d")
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        super.init()
    }

    override public var extraDescription: String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), dilation=\(dilation), ceil_mode=\(PythonRepr.bool(ceilMode))"
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        let window = try poolingWindow("MaxPool2d", input: input.shape, kernel: kernelSize.values, stride: stride.values,
                                       padding: padding.values, dilation: dilation.values, ceilMode: ceilMode)
        return maxPool2d(input, window: window)
    }
}
