import NNTensor

/// A MaxPool2d layer over planned buffers, with the kernels and per-image split of autograd's
/// `maxPool2d`: the argmax indices of the forward pass route the gradient back.
/// input [N, C, H, W] → output [N, C, OH, OW].
struct PlannedMaxPooling: PlannedLayer {
    let window: Window2d
    let batch: Int
    /// One index per output element.
    let indices: UnsafeMutablePointer<Int32>

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        forEachImage(batch: batch, window) { inputOffset, outputOffset in
            NNTensor.maxPool2d(window, image: input + inputOffset, output: output + outputOffset, indices: indices + outputOffset)
        }
    }

    /// Each image's gradient is written whole (no zero-fill pass when the windows tile the image).
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        forEachImage(batch: batch, window) { inputOffset, outputOffset in
            maxPool2dInputGradient(window, outputGradient: outputGradient + outputOffset, indices: indices + outputOffset,
                                   inputGradient: inputGradient + inputOffset)
        }
    }
}

/// An AvgPool2d layer over planned buffers, as autograd's `avgPool2d`.
/// input [N, C, H, W] → output [N, C, OH, OW].
struct PlannedAveragePooling: PlannedLayer {
    let window: Window2d
    let batch: Int
    let countIncludePad: Bool

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        forEachImage(batch: batch, window) { inputOffset, outputOffset in
            NNTensor.avgPool2d(window, countIncludePad: countIncludePad, image: input + inputOffset, output: output + outputOffset)
        }
    }

    /// The gradient is zero-filled, then each window's share added, as autograd's accumulation
    /// into a fresh gradient.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        inputGradient.update(repeating: 0, count: batch * window.channels * window.height * window.width)
        forEachImage(batch: batch, window) { inputOffset, outputOffset in
            avgPool2dBackward(window, countIncludePad: countIncludePad, outputGradient: outputGradient + outputOffset,
                              inputGradient: inputGradient + inputOffset)
        }
    }
}

/// ReLU then MaxPool2d in one layer: pools ReLU(input) without storing it, and routes the gradient
/// where the pooled output is > 0. input [N, C, H, W] → output [N, C, OH, OW].
struct PlannedReLUMaxPooling: PlannedLayer {
    let pooling: PlannedMaxPooling

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let window = pooling.window, indices = pooling.indices
        forEachImage(batch: pooling.batch, window) { inputOffset, outputOffset in
            reluMaxPool2d(window, image: input + inputOffset, output: output + outputOffset, indices: indices + outputOffset)
        }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        let window = pooling.window, indices = pooling.indices
        forEachImage(batch: pooling.batch, window) { inputOffset, outputOffset in
            reluMaxPool2dInputGradient(window, outputGradient: outputGradient + outputOffset, output: output + outputOffset,
                                       indices: indices + outputOffset, inputGradient: inputGradient + inputOffset)
        }
    }
}
