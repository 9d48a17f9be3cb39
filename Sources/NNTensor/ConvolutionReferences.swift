/// The naive convolution of one image the fast kernels are tested against, any window:
/// output [OC, OH, OW] = Σ over taps of weights [OC, C, KH, KW] · image [C, H, W] + bias [OC].
public func convolutionReference(_ window: Window2d, image: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                                 outChannels: Int, bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
    forEachConvolutionTerm(window, outChannels: outChannels) { outputIndex, imageIndex, weightIndex, isFirst in
        if isFirst { output[outputIndex] = bias?[outputIndex / (window.outputHeight * window.outputWidth)] ?? 0 }
        if let imageIndex { output[outputIndex] += weights[weightIndex] * image[imageIndex] }
    }
}

/// The naive weight gradient of one image: weightGradient [OC, C, KH, KW] += Σ over outputs of
/// outputGradient [OC, OH, OW] times the image [C, H, W] value each tap read.
public func convolutionWeightGradientReference(_ window: Window2d, image: UnsafePointer<Float>,
                                               outputGradient: UnsafePointer<Float>, outChannels: Int,
                                               weightGradient: UnsafeMutablePointer<Float>) {
    forEachConvolutionTerm(window, outChannels: outChannels) { outputIndex, imageIndex, weightIndex, _ in
        if let imageIndex { weightGradient[weightIndex] += outputGradient[outputIndex] * image[imageIndex] }
    }
}

/// The naive input gradient of one image: inputGradient [C, H, W] += Σ over outputs and taps of
/// weights [OC, C, KH, KW] times outputGradient [OC, OH, OW], at the image position each tap read.
public func convolutionInputGradientReference(_ window: Window2d, outputGradient: UnsafePointer<Float>,
                                              weights: UnsafePointer<Float>, outChannels: Int,
                                              inputGradient: UnsafeMutablePointer<Float>) {
    forEachConvolutionTerm(window, outChannels: outChannels) { outputIndex, imageIndex, weightIndex, _ in
        if let imageIndex { inputGradient[imageIndex] += weights[weightIndex] * outputGradient[outputIndex] }
    }
}

/// Calls `body(output index, image index or nil for padding, weight index, whether it is the
/// output's first term)` for every (output, tap) pair, taps in weight order for each output.
private func forEachConvolutionTerm(_ window: Window2d, outChannels: Int,
                                    _ body: (Int, Int?, Int, Bool) -> Void) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    for outChannel in 0..<outChannels {
        for outputRow in 0..<outputHeight {
            for outputColumn in 0..<outputWidth {
                let outputIndex = (outChannel * outputHeight + outputRow) * outputWidth + outputColumn
                var weightIndex = outChannel * window.channels * window.kernelHeight * window.kernelWidth
                for channel in 0..<window.channels {
                    for kernelRow in 0..<window.kernelHeight {
                        for kernelColumn in 0..<window.kernelWidth {
                            let y = outputRow * window.strideHeight - window.paddingHeight + kernelRow * window.dilationHeight
                            let x = outputColumn * window.strideWidth - window.paddingWidth + kernelColumn * window.dilationWidth
                            let inside = y >= 0 && y < window.height && x >= 0 && x < window.width
                            let isFirst = weightIndex == outChannel * window.channels * window.kernelHeight * window.kernelWidth
                            body(outputIndex, inside ? (channel * window.height + y) * window.width + x : nil, weightIndex, isFirst)
                            weightIndex += 1
                        }
                    }
                }
            }
        }
    }
}
