/// A transposed 2-D convolution over one batch, run as the input gradient of `convolution`: the
/// convolution whose input is this one's output. x [N, C, IH, IW] (IH × IW is the convolution's
/// output plane), w [C, OC/groups, KH, KW] (the convolution's weight layout, C its output channels),
/// b [OC] → y [N, OC, OH, OW] (the convolution's input). What autograd's `convTranspose2d` and the
/// planned ConvTranspose2d both run.
public struct TransposedConvolution {
    public let convolution: ConvolutionShape

    public init(_ convolution: ConvolutionShape) { self.convolution = convolution }

    /// OC: the convolution's input channels.
    public var outChannels: Int { convolution.groups * convolution.window.channels }

    /// y = the transposed convolution of x, plus b[c] on each output plane of channel c.
    public func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        guard convolution.batch > 0 else { return }
        convolution.inputGradient(w: w, dy: x, dx: y)
        guard let b else { return }
        let plane = convolution.inputPlane
        for image in 0..<convolution.batch {
            for channel in 0..<outChannels {
                let values = y + (image * outChannels + channel) * plane, bias = b[channel]
                for index in 0..<plane { values[index] += bias }
            }
        }
    }

    /// dw += the convolution's weight gradient for image dY and output gradient x.
    public func accumulateWeightGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>) {
        guard convolution.batch > 0 else { return }
        convolution.accumulateWeightGradient(x: dy, dy: x, dw: dw)
    }

    /// db += Σ dY over images and positions per output channel.
    public func accumulateBiasGradient(dy: UnsafePointer<Float>, db: UnsafeMutablePointer<Float>) {
        guard convolution.batch > 0 else { return }
        accumulateAxisSums(outer: convolution.batch, size: outChannels, inner: convolution.inputPlane, input: dy, sums: db)
    }

    /// dx [N, C, IH, IW] = the convolution of dY with w (written over every element).
    public func inputGradient(w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        guard convolution.batch > 0 else { return }
        convolution.forward(x: dy, w: w, b: nil, y: dx)
    }
}
