/// A depthwise convolution, one input and one output channel per group (groups = C = OC > 1: the
/// 3×3 convolutions of MobileNet's blocks), computed plane by plane in a `DepthwiseWorkspace`
/// instead of as an im2col and a one-row SGEMM per image and group. Any window.
///
/// Forward and input gradient split the (image, channel) planes over the worker pool; the weight
/// gradient splits the channels, each summing its images in order (in vector sums reduced once per
/// channel), so that no part needs partial sums and the results do not depend on the split. The bias gradient is `accumulateAxisSums`.
/// Pointers as in `ConvolutionShape`: x and dx [N, C, H, W], w [C, 1, KH, KW], y and dy [N, C, OH, OW].
public struct DepthwiseConvolution {
    public let shape: ConvolutionShape
    let layout: DepthwisePlaneLayout

    /// nil unless `shape` has one input and one output channel per group, and more than one group.
    public init?(_ shape: ConvolutionShape) {
        guard shape.groups > 1, shape.window.channels == 1, shape.outChannels == shape.groups else { return nil }
        self.shape = shape
        layout = DepthwisePlaneLayout(shape.window)
    }

    private var channels: Int { shape.groups }

    /// y = conv(x, w) + b for every image; y need not be initialised.
    public func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        forEachPlaneBlock(context: (self, x, w, b, y)) { context, _, planes in
            let (convolution, x, w, b, y) = context
            let shape = convolution.shape, taps = convolution.layout.tapCount
            DepthwiseWorkspace.withWorkspace(convolution.layout) { workspace in
                for plane in planes {
                    let channel = plane % convolution.channels
                    workspace.loadImage(x + plane * shape.inputPlane)
                    workspace.forward(weights: w + channel * taps, bias: b?[channel] ?? 0, y: y + plane * shape.outputPlane)
                }
            }
        }
    }

    /// dx = the transposed convolution of dY for every image; dx need not be initialised.
    public func inputGradient(w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        forEachPlaneBlock(context: (self, w, dy, dx)) { context, _, planes in
            let (convolution, w, dy, dx) = context
            let shape = convolution.shape, taps = convolution.layout.tapCount
            DepthwiseWorkspace.withWorkspace(convolution.layout) { workspace in
                for plane in planes {
                    workspace.loadOutputGradient(dy + plane * shape.outputPlane)
                    workspace.inputGradient(weights: w + plane % convolution.channels * taps, dx: dx + plane * shape.inputPlane)
                }
            }
        }
    }

    /// dw += Σ over images of each channel's weight gradient, and db (if given) += Σ over images and
    /// positions of dY.
    public func accumulateWeightGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
                                         db: UnsafeMutablePointer<Float>?) {
        accumulateChannelGradients(x: x, w: nil, dy: dy, dw: dw, db: db, dx: nil)
    }

    /// `accumulateWeightGradient` then `inputGradient` (the same results) in one pass over the
    /// channels, each plane's dY loaded once for both.
    public func accumulateGradients(x: UnsafePointer<Float>, w: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>) {
        accumulateChannelGradients(x: x, w: w, dy: dy, dw: dw, db: db, dx: dx)
    }

    /// The weight gradient, and the input gradient when `w` and `dx` are given, split over the channels.
    private func accumulateChannelGradients(x: UnsafePointer<Float>, w: UnsafePointer<Float>?, dy: UnsafePointer<Float>,
                                            dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?,
                                            dx: UnsafeMutablePointer<Float>?) {
        let pool = WorkerPool.shared
        pool.forEachBlock(of: 0..<channels, parts: pool.fixedParts(for: channels), context: (self, x, w, dy, dw, dx)) { context, _, block in
            let (convolution, x, w, dy, dw, dx) = context
            let shape = convolution.shape, taps = convolution.layout.tapCount
            DepthwiseWorkspace.withWorkspace(convolution.layout) { workspace in
                for channel in block {
                    for image in 0..<shape.batch {
                        let plane = image * convolution.channels + channel
                        workspace.loadImage(x + plane * shape.inputPlane)
                        workspace.loadOutputGradient(dy + plane * shape.outputPlane)
                        workspace.accumulateWeightGradientSums()
                        if let w, let dx {
                            workspace.inputGradient(weights: w + channel * taps, dx: dx + plane * shape.inputPlane)
                        }
                    }
                    workspace.addWeightGradientSums(into: dw + channel * taps)
                }
            }
        }
        if let db { accumulateAxisSums(outer: shape.batch, size: channels, inner: shape.outputPlane, input: dy, sums: db) }
    }

    /// Runs `body(context, part, planes)` over blocks of the N·C (image, channel) planes on the worker
    /// pool. `body` captures nothing and is handed to the pool as written (see `forEachImageBlock`).
    @inline(__always)
    private func forEachPlaneBlock<Context>(context: Context, _ body: @escaping (Context, _ part: Int, _ planes: Range<Int>) -> Void) {
        let pool = WorkerPool.shared, planes = shape.batch * channels
        pool.forEachBlock(of: 0..<planes, parts: pool.fixedParts(for: planes), context: context, body)
    }
}
