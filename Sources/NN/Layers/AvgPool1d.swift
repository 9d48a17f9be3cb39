import NNTensor

/// Mean over sliding windows, as `nn.AvgPool1d`, computed by AvgPool2d's kernel over a height-1
/// image. input [N, C, L] → output [N, C, OL]. With `countIncludePad` (the default) the divisor
/// counts padding cells inside the window.
public final class AvgPool1d: Module {
    public let kernelSize: Int, stride: Int, padding: Int
    public let ceilMode: Bool, countIncludePad: Bool

    /// `stride` defaults to `kernelSize`, as in PyTorch.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = true) throws(NNError) {
        self.stride = try checkedPoolingStride(kernelSize: .single(kernelSize), stride: stride.map(IntOrPair.single),
                                               padding: .single(padding), in: "AvgPool1d").values.0
        self.kernelSize = kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        super.init()
    }

    /// PyTorch stores AvgPool1d's sizes as one-element tuples: `kernel_size=(3,), stride=(3,), padding=(0,)`.
    override public var extraDescription: String {
        "kernel_size=\(PythonRepr.tuple([kernelSize])), stride=\(PythonRepr.tuple([stride])), padding=\(PythonRepr.tuple([padding]))"
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        let image = try signalAsImage(input, channels: nil, layer: "AvgPool1d")
        return try imageAsSignal(avgPool2d(image, window: try window(forImage: image.shape), countIncludePad: countIncludePad))
    }

    /// The pooling window over the height-1 image [N, C, 1, L] of the input, or an error naming the shapes.
    func window(forImage shape: [Int]) throws(NNError) -> Window2d {
        try poolingWindow("AvgPool1d", input: shape, kernel: (1, kernelSize), stride: (1, stride),
                          padding: (0, padding), ceilMode: ceilMode)
    }
}

/// Mean over PyTorch's adaptive bins, to a fixed output length, as `nn.AdaptiveAvgPool1d`, computed
/// by AdaptiveAvgPool2d over a height-1 image. input [N, C, L] → output [N, C, output_size].
public final class AdaptiveAvgPool1d: Module {
    public let outputSize: Int

    public init(outputSize: Int) throws(NNError) {
        try requirePositive([("output_size", outputSize)], in: "AdaptiveAvgPool1d")
        self.outputSize = outputSize
        super.init()
    }

    override public var extraDescription: String { "output_size=\(outputSize)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        let image = try signalAsImage(input, channels: nil, layer: "AdaptiveAvgPool1d")
        return try imageAsSignal(try adaptiveAvgPool2d(image, outputHeight: 1, outputWidth: outputSize))
    }
}
