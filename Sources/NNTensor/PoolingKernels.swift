// The batch loops of pooling: each image's kernel (Pooling.swift) at that image's
// offsets, the images split over the worker pool (each image's result is independent of the
// split). Autograd's pooling ops and the planned layers both run these.
// Pointers: input and its gradient [N, C, H, W], output, its gradient and indices [N, C, OH, OW].

/// Max pooling of every image, saving the argmax indices; of ReLU(input) when `rectifying` (ReLU then
/// MaxPool2d fused, `reluMaxPool2d`).
public func maxPool2d(_ window: Window2d, batch: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                      indices: UnsafeMutablePointer<Int32>, rectifying: Bool = false) {
    forEachImage(batch: batch, window, context: (window, input, output, indices, rectifying)) { context, _, images in
        let (window, input, output, indices, rectifying) = context
        for (inputOffset, outputOffset) in window.imageOffsets(images) {
            if rectifying {
                reluMaxPool2d(window, image: input + inputOffset, output: output + outputOffset, indices: indices + outputOffset)
            } else {
                maxPool2d(window, image: input + inputOffset, output: output + outputOffset, indices: indices + outputOffset)
            }
        }
    }
}

/// The max-pooling input gradient of every image (overwritten, not accumulated into). With the pooled
/// `output` of a `rectifying` pool as `gate`, the gradient of ReLU then MaxPool2d
/// (`reluMaxPool2dInputGradient`: dropped where the pooled output is ≤ 0).
public func maxPool2dInputGradient(_ window: Window2d, batch: Int, outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>? = nil,
                                   indices: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Float>) {
    forEachImage(batch: batch, window, context: (window, outputGradient, gate, indices, inputGradient)) { context, _, images in
        let (window, outputGradient, gate, indices, inputGradient) = context
        for (inputOffset, outputOffset) in window.imageOffsets(images) {
            maxPool2dInputGradient(window, outputGradient: outputGradient + outputOffset, gate: gate.map { $0 + outputOffset },
                                   indices: indices + outputOffset, inputGradient: inputGradient + inputOffset)
        }
    }
}

/// Average pooling of every image.
public func avgPool2d(_ window: Window2d, batch: Int, countIncludePad: Bool, input: UnsafePointer<Float>,
                      output: UnsafeMutablePointer<Float>) {
    forEachImage(batch: batch, window, context: (window, countIncludePad, input, output)) { context, _, images in
        let (window, countIncludePad, input, output) = context
        for (inputOffset, outputOffset) in window.imageOffsets(images) {
            avgPool2d(window, countIncludePad: countIncludePad, image: input + inputOffset, output: output + outputOffset)
        }
    }
}

/// Adds every image's average-pooling input gradient into `inputGradient`.
public func avgPool2dBackward(_ window: Window2d, batch: Int, countIncludePad: Bool, outputGradient: UnsafePointer<Float>,
                              inputGradient: UnsafeMutablePointer<Float>) {
    forEachImage(batch: batch, window, context: (window, countIncludePad, outputGradient, inputGradient)) { context, _, images in
        let (window, countIncludePad, outputGradient, inputGradient) = context
        for (inputOffset, outputOffset) in window.imageOffsets(images) {
            avgPool2dBackward(window, countIncludePad: countIncludePad, outputGradient: outputGradient + outputOffset,
                              inputGradient: inputGradient + inputOffset)
        }
    }
}

/// Runs `body(context, part, images)` for blocks of the batch on the worker pool (one block when the
/// batch is small; else `fixedParts` decreasing pieces, so that a worker that starts late leaves
/// the others less to wait for than half the batch). `body` captures nothing (`WorkerPool.run`) and
/// reaches the pool as written at the call: a closure passed on through another generic function
/// would be wrapped in a reabstraction thunk, a heap allocation per call.
@inline(__always)
private func forEachImage<Context>(batch: Int, _ window: Window2d, context: Context,
                                   _ body: @escaping (Context, _ part: Int, _ images: Range<Int>) -> Void) {
    let pool = WorkerPool.shared
    let parts = batch * window.channels * window.height * window.width >= 16384 ? pool.fixedParts(for: batch) : 1
    pool.forEachBlock(of: 0..<batch, parts: parts, context: context, body)
}

extension Window2d {
    /// The offsets of each image of `images` in the input [N, C, H, W] and the output [N, C, OH, OW].
    fileprivate func imageOffsets(_ images: Range<Int>) -> some Sequence<(Int, Int)> {
        let inputSize = channels * height * width, outputSize = channels * outputHeight * outputWidth
        return images.lazy.map { ($0 * inputSize, $0 * outputSize) }
    }
}
