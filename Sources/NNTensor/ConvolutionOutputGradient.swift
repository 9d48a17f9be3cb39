/// Where a convolution's weight gradient finds each image's output gradient dY [OC, OH, OW]:
/// stored for the whole batch [N, OC, OH, OW], or routed back from the gradient of a ReLU + max
/// pooling that follows the convolution, one image at a time, while it is in cache.
public enum ConvolutionOutputGradient {
    case stored(UnsafePointer<Float>)
    /// `reluMaxPool2dInputGradient` of the pooled output's gradient [N, OC, PH, PW], with the
    /// pooled output and argmax indices of the forward pass.
    case pooled(Window2d, outputGradient: UnsafePointer<Float>, output: UnsafePointer<Float>, indices: UnsafePointer<Int32>)

    /// Images `images`' dY in the expanded layout `DirectConvolution.accumulateWeightGradient`
    /// reads ([OC, expandedGradientCount] per image), and the floats from one image's to the next.
    /// When OH · OW is a multiple of 16 a stored dY is read in place and a routed one is routed
    /// straight into `expanded`; otherwise each image's dY (routed into `routed`, OC · OH · OW
    /// floats, first) is copied into `expanded`. `channelSums[oc]` (a bias gradient), if given, is
    /// added the sum of each image's dY[oc].
    func expanded(images: Range<Int>, of shape: ConvolutionShape, _ direct: DirectConvolution,
                  into expanded: UnsafeMutablePointer<Float>, routedInto routed: UnsafeMutablePointer<Float>,
                  channelSums: UnsafeMutablePointer<Float>?) -> (gradients: UnsafePointer<Float>, stride: Int) {
        let expandedImage = shape.outChannels * direct.expandedGradientCount
        let gradients: UnsafePointer<Float>
        if !direct.outputGradientIsExpanded {
            for (index, image) in images.enumerated() {
                direct.expandOutputGradient(self.image(image, of: shape, routedInto: routed), outChannels: shape.outChannels,
                                            into: expanded + index * expandedImage)
            }
            gradients = UnsafePointer(expanded)
        } else if case .stored(let dy) = self {
            gradients = dy + shape.outputOffset(images.lowerBound, 0)
        } else {
            for (index, image) in images.enumerated() {
                _ = self.image(image, of: shape, routedInto: expanded + index * expandedImage)
            }
            gradients = UnsafePointer(expanded)
        }
        if let channelSums {
            for index in 0..<images.count {
                direct.addChannelSums(of: gradients + index * expandedImage, outChannels: shape.outChannels, to: channelSums)
            }
        }
        return (gradients, expandedImage)
    }

    /// Image `image`'s dY for the convolution `shape`; a routed one is written at `routed`
    /// (OC · OH · OW floats).
    private func image(_ image: Int, of shape: ConvolutionShape, routedInto routed: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
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
