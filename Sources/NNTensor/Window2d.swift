/// The geometry of a 2-D sliding window over one C×H×W image: convolution and pooling share it.
///
/// Output size per PyTorch: `(in + 2·padding − dilation·(kernel − 1) − 1) / stride + 1`,
/// rounded down, or up with `ceilMode` (a window may not start in the right/bottom padding).
public struct Window2d: Sendable, Equatable {
    public let channels: Int
    public let height: Int, width: Int
    public let kernelHeight: Int, kernelWidth: Int
    public let strideHeight: Int, strideWidth: Int
    public let paddingHeight: Int, paddingWidth: Int
    public let dilationHeight: Int, dilationWidth: Int
    public let ceilMode: Bool
    /// The output's size, computed once (the kernels' loops ask for it); 0 with a stride below 1.
    public let outputHeight: Int, outputWidth: Int

    public init(channels: Int, height: Int, width: Int,
                kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) {
        self.channels = channels
        self.height = height; self.width = width
        (kernelHeight, kernelWidth) = kernel
        (strideHeight, strideWidth) = stride
        (paddingHeight, paddingWidth) = padding
        (dilationHeight, dilationWidth) = dilation
        self.ceilMode = ceilMode
        // A stride below 1 (which `validate` rejects) would divide by zero.
        outputHeight = strideHeight < 1 ? 0 : Self.outputSize(height, kernelHeight, strideHeight, paddingHeight, dilationHeight, ceilMode)
        outputWidth = strideWidth < 1 ? 0 : Self.outputSize(width, kernelWidth, strideWidth, paddingWidth, dilationWidth, ceilMode)
    }

    /// Throws unless PyTorch accepts this geometry: a non-negative image size; positive kernel,
    /// stride and dilation; non-negative padding; a kernel no larger than the padded input and, for
    /// pooling, padding at most half the kernel. The window kernels assume a validated window.
    public func validate(forPooling pooling: Bool = false) throws(TensorError) {
        guard channels >= 0, height >= 0, width >= 0 else {
            throw .invalidArgument("image size must be non-negative, got (\(channels), \(height), \(width))")
        }
        let steps = [("kernel_size", kernelHeight, kernelWidth), ("stride", strideHeight, strideWidth),
                     ("dilation", dilationHeight, dilationWidth)]
        for (name, vertical, horizontal) in steps where vertical < 1 || horizontal < 1 {
            throw .invalidArgument("\(name) must be positive, got (\(vertical), \(horizontal))")
        }
        guard paddingHeight >= 0, paddingWidth >= 0 else {
            throw .invalidArgument("padding must be non-negative, got (\(paddingHeight), \(paddingWidth))")
        }
        if pooling && (2 * paddingHeight > kernelHeight || 2 * paddingWidth > kernelWidth) {
            throw .invalidArgument("""
                pad should be at most half of kernel size, but got pad=(\(paddingHeight), \(paddingWidth)) \
                and kernel_size=(\(kernelHeight), \(kernelWidth))
                """)
        }
        let spanHeight = dilationHeight * (kernelHeight - 1) + 1, spanWidth = dilationWidth * (kernelWidth - 1) + 1
        let paddedHeight = height + 2 * paddingHeight, paddedWidth = width + 2 * paddingWidth
        guard spanHeight <= paddedHeight, spanWidth <= paddedWidth else {
            throw .shapeMismatch("""
                padded input size per channel (\(paddedHeight) x \(paddedWidth)) is smaller than the \
                kernel's extent (\(spanHeight) x \(spanWidth))
                """)
        }
    }

    /// The same window over `channels` channels (a part of the image's).
    public func withChannels(_ channels: Int) -> Window2d {
        Window2d(channels: channels, height: height, width: width, kernel: (kernelHeight, kernelWidth),
                 stride: (strideHeight, strideWidth), padding: (paddingHeight, paddingWidth),
                 dilation: (dilationHeight, dilationWidth), ceilMode: ceilMode)
    }

    /// PyTorch's `pooling_output_shape` (and, with `ceilMode` false, the convolution formula).
    public static func outputSize(_ input: Int, _ kernel: Int, _ stride: Int, _ padding: Int,
                                  _ dilation: Int, _ ceilMode: Bool) -> Int {
        let span = input + 2 * padding - dilation * (kernel - 1) - 1
        var size = (span + (ceilMode ? stride - 1 : 0)).floorDivided(by: stride) + 1
        if ceilMode && (size - 1) * stride >= input + padding { size -= 1 }
        return size
    }
}

extension Int {
    /// Division rounding toward negative infinity.
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
