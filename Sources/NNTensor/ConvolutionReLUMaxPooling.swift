/// Conv2d → ReLU → MaxPool2d in one batch loop, for direct convolutions: each image's
/// convolution output is pooled (`reluMaxPool2d`) while it is still in cache, and never stored
/// for the batch. The same values and indices as `forward` then the batch `maxPool2d(…, rectifying: true)`.
extension ConvolutionShape {
    /// pooled [N, OC, PH, PW] and indices = maxPool(ReLU(conv(x, w) + b)) with `pooling`, a window
    /// over one image's output [OC, OH, OW]. Pointers: x [N, C, H, W], w [OC, C/groups, KH, KW], b [OC].
    /// `direct` is the convolution's `DirectConvolution(window)`.
    public func reluMaxPoolForward(_ direct: DirectConvolution, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                   b: UnsafePointer<Float>?, pooling: Window2d, pooled: UnsafeMutablePointer<Float>,
                                   indices: UnsafeMutablePointer<Int32>) {
        let unfoldedCount = directForwardScratch(direct)
        // The image's output after its unfolded images, on a cache line.
        let outputStart = (unfoldedCount + 15) / 16 * 16, scratch = outputStart + outChannels * outputPlane
        forEachImageBlock(context: (self, direct, x, w, b, pooling, pooled, indices, outputStart, scratch)) { context, _, images in
            let (shape, direct, x, w, b, pooling, pooled, indices, outputStart, scratch) = context
            let pooledImage = pooling.channels * pooling.outputHeight * pooling.outputWidth
            ScratchBuffers.withBuffer(count: scratch) { memory in
                let output = memory + outputStart
                for image in images {
                    shape.directForward(direct, image: image, x: x, w: w, b: b, unfolded: memory, y: output)
                    reluMaxPool2d(pooling, image: output, output: pooled + image * pooledImage, indices: indices + image * pooledImage)
                }
            }
        }
    }
}
