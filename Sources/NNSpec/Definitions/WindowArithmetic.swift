/// The output size of a sliding window (convolution and pooling), as PyTorch computes it:
///
///     out = ⌊(in + 2·padding − dilation·(kernel − 1) − 1 + (ceil_mode ? stride − 1 : 0)) / stride⌋ + 1
///
/// and with `ceil_mode` the last window must start inside the input or its left padding
/// (`(out − 1)·stride < in + padding`, otherwise one fewer).
struct WindowArithmetic {
    var input: Int
    var kernel: Int
    var stride: Int
    var padding: Int
    var dilation: Int = 1
    var ceilMode = false

    /// The kernel's span: dilation·(kernel − 1) + 1.
    var effectiveKernel: Int { dilation * (kernel - 1) + 1 }

    var output: Int {
        let span = input + 2 * padding - effectiveKernel
        var size = floorDivide(span + (ceilMode ? stride - 1 : 0), stride) + 1
        let (lastStart, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
        if ceilMode, overflow || lastStart >= input + padding { size -= 1 }
        return size
    }

    /// The arithmetic in the form messages show: "(28−2)/2+1", "32+2×2−5+1".
    var derivation: String {
        var numerator = "\(input)"
        if padding > 0 { numerator += "+2×\(padding)" }
        numerator += "−\(effectiveKernel)"
        if stride == 1 { return numerator + "+1" }
        let quotient = "(\(numerator))/\(stride)"
        if (input + 2 * padding - effectiveKernel) % stride == 0 { return quotient + "+1" }
        return ceilMode ? "⌈\(quotient)⌉+1" : "⌊\(quotient)⌋+1"
    }

    private func floorDivide(_ numerator: Int, _ denominator: Int) -> Int {
        let quotient = numerator / denominator
        return numerator % denominator != 0 && (numerator < 0) != (denominator < 0) ? quotient - 1 : quotient
    }
}

extension ShapeCheck {
    /// The output height and width of a window layer over input [N, C, H, W], or nil after
    /// reporting a window that does not fit. `what` names the window for messages ("kernel").
    public mutating func windowOutput(
        kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int) = (1, 1), ceilMode: Bool = false
    ) -> (height: Int, width: Int, derivations: [Int: String])? {
        let sample = self.sample
        let height = WindowArithmetic(
            input: sample[1], kernel: kernel.0, stride: stride.0, padding: padding.0, dilation: dilation.0, ceilMode: ceilMode)
        let width = WindowArithmetic(
            input: sample[2], kernel: kernel.1, stride: stride.1, padding: padding.1, dilation: dilation.1, ceilMode: ceilMode)
        guard height.output >= 1, width.output >= 1 else {
            let spans = "\(height.effectiveKernel)×\(width.effectiveKernel)"
            error(
                "\(layerLabel) window \(spans) does not fit the input \(sample[1])×\(sample[2]) \(source()): output \(height.output)×\(width.output) = (\(height.derivation))×(\(width.derivation))",
                argument: "kernel_size",
                hint: "use a smaller kernel_size, add padding, or remove a downsampling layer before it")
            return nil
        }
        var derivations: [Int: String] = [:]
        if height.derivation != "\(height.output)" { derivations[1] = height.derivation }
        if width.derivation != "\(width.output)" { derivations[2] = width.derivation }
        return (height.output, width.output, derivations)
    }
}

extension ShapeCheck {
    /// The output length of a 1-D window layer over input [N, C, L], or nil after reporting a window
    /// that does not fit.
    public mutating func windowOutput(
        kernel: Int, stride: Int, padding: Int, dilation: Int = 1, ceilMode: Bool = false
    ) -> (length: Int, derivations: [Int: String])? {
        let length = WindowArithmetic(
            input: sample[1], kernel: kernel, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        guard length.output >= 1 else {
            error(
                "\(layerLabel) window \(length.effectiveKernel) does not fit the input length \(sample[1]) \(source()): output \(length.output) = \(length.derivation)",
                argument: "kernel_size",
                hint: "use a smaller kernel_size, add padding, or remove a downsampling layer before it")
            return nil
        }
        return (length.output, length.derivation != "\(length.output)" ? [1: length.derivation] : [:])
    }
}
