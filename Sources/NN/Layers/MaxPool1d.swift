import NNTensor

/// Max over sliding windows, as `nn.MaxPool1d` (padding counts as −∞), computed by MaxPool2d's
/// kernel over a height-1 image. input [N, C, L] → output [N, C, OL].
public final class MaxPool1d: Module {
    public let kernelSize: Int, stride: Int, padding: Int, dilation: Int
    public let ceilMode: Bool

    /// `stride` defaults to `kernelSize`, as in PyTorch.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1, ceilMode: Bool = false) throws(NNError) {
        self.stride = try checkedPoolingStride(kernelSize: .single(kernelSize), stride: stride.map(IntOrPair.single),
                                               padding: .single(padding), dilation: .single(dilation), in: "MaxPool1d").values.0
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
        let image = try signalAsImage(input, channels: nil, layer: "MaxPool1d")
        return try imageAsSignal(maxPool2d(image, window: try window(forImage: image.shape)))
    }

    /// The pooling window over the height-1 image [N, C, 1, L] of the input, or an error naming the shapes.
    func window(forImage shape: [Int]) throws(NNError) -> Window2d {
        try poolingWindow("MaxPool1d", input: shape, kernel: (1, kernelSize), stride: (1, stride),
                          padding: (0, padding), dilation: (1, dilation), ceilMode: ceilMode)
    }
}
