import NNTensor

/// Mean over sliding windows, as `nn.AvgPool2d`. input [N, C, H, W] → output [N, C, OH, OW].
/// With `countIncludePad` (the default) the divisor counts padding cells inside the window.
public final class AvgPool2d: Module {
    /// As given (an integer or a pair), since PyTorch prints them as given.
    public let kernelSize: IntOrPair, stride: IntOrPair, padding: IntOrPair
    public let ceilMode: Bool, countIncludePad: Bool

    /// `stride` defaults to `kernelSize`, as in PyTorch.
    public init(kernelSize: IntOrPair, stride: IntOrPair? = nil, padding: IntOrPair = 0, ceilMode: Bool = false,
                countIncludePad: Bool = true) throws(NNError) {
        self.stride = try checkedPoolingStride(kernelSize: kernelSize, stride: stride, padding: padding, in: "AvgPool2d")
        self.kernelSize = kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        super.init()
    }

    override public var extraDescription: String { "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        avgPool2d(input, window: try window(for: input.shape), countIncludePad: countIncludePad)
    }

    /// The pooling window over an input of `shape` [N, C, H, W], or an error naming the shapes.
    func window(for shape: [Int]) throws(NNError) -> Window2d {
        try poolingWindow("AvgPool2d", input: shape, kernel: kernelSize.values, stride: stride.values,
                          padding: padding.values, ceilMode: ceilMode)
    }
}

/// Mean over PyTorch's adaptive bins, to a fixed output size, as `nn.AdaptiveAvgPool2d`.
/// input [N, C, H, W] → output [N, C, OH, OW].
public final class AdaptiveAvgPool2d: Module {
    /// As given (an integer or a pair).
    public let outputSize: IntOrPair

    public init(outputSize: IntOrPair) throws(NNError) {
        try requirePositiveSizes([("output_size", outputSize)], in: "AdaptiveAvgPool2d")
        self.outputSize = outputSize
        super.init()
    }

    override public var extraDescription: String { "output_size=\(outputSize)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try adaptiveAvgPool2d(input, outputHeight: outputSize.values.0, outputWidth: outputSize.values.1)
    }
}
