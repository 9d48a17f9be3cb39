import NNTensor

/// Where a convolution's weight gradient finds each image's output gradient dY [OC, OH, OW]:
/// stored for the whole batch [N, OC, OH, OW], or routed back from the gradient of a ReLU + max
/// pooling that follows the convolution, one image at a time, while it is in cache.
enum ConvolutionOutputGradient {
    case stored(UnsafePointer<Float>)
    /// `reluMaxPool2dInputGradient` of the pooled output's gradient [N, OC, PH, PW], with the
    /// pooled output and argmax indices of the forward pass.
    case pooled(Window2d, outputGradient: UnsafePointer<Float>, output: UnsafePointer<Float>, indices: UnsafePointer<Int32>)

    /// Image `image`'s dY for the convolution `shape`; a routed one is written at `routed`
    /// (OC · OH · OW floats).
    func image(_ image: Int, of shape: ConvolutionShape, routedInto routed: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        switch self {
        case .stored(let dy):
            return dy + shape.outputOffset(image, 0)
        case .pooled(let window, let outputGradient, let output, let indices):
            let pooledImage = window.channels * window.outputHeight * window.outputWidth
            reluMaxPool2dInputGradient(window, outputGradient: outputGradient + image * pooledImage,
                                       output: output + image * pooledImage, indices: indices + image * pooledImage,
                                       inputGradient: routed)
            return UnsafePointer(routed)
        }
    }
}
