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
        self.stride = try checkedPoolingStride(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                                               in: "MaxPool2d")
        self.kernelSize = kernelSize
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        super.init()
    }

    override public var extraDescription: String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), dilation=\(dilation), ceil_mode=\(PythonRepr.bool(ceilMode))"
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        maxPool2d(input, window: try window(for: input.shape))
    }

    /// The pooling window over an input of `shape` [N, C, H, W], or an error naming the shapes.
    func window(for shape: [Int]) throws(NNError) -> Window2d {
        try poolingWindow("MaxPool2d", input: shape, kernel: kernelSize.values, stride: stride.values,
                          padding: padding.values, dilation: dilation.values, ceilMode: ceilMode)
    }
}
