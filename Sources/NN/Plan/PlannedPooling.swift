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
        maxPool2d(window, batch: batch, input: input, output: output, indices: indices)
    }

    /// Each image's gradient is written whole (no zero-fill pass when the windows tile the image).
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        maxPool2dInputGradient(window, batch: batch, outputGradient: outputGradient, indices: indices, inputGradient: inputGradient)
    }
}

/// An AvgPool2d layer over planned buffers, as autograd's `avgPool2d`.
/// input [N, C, H, W] → output [N, C, OH, OW].
struct PlannedAveragePooling: PlannedLayer {
    let window: Window2d
    let batch: Int
    let countIncludePad: Bool

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        avgPool2d(window, batch: batch, countIncludePad: countIncludePad, input: input, output: output)
    }

    /// Adds each window's share into the input's gradient, as autograd's operation does.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        avgPool2dBackward(window, batch: batch, countIncludePad: countIncludePad, outputGradient: outputGradient,
                          inputGradient: inputGradient)
    }

    var addsIntoInputGradient: Bool { true }
}

/// ReLU then MaxPool2d in one layer: pools ReLU(input) without storing it, and routes the gradient
/// where the pooled output is not ≤ 0. input [N, C, H, W] → output [N, C, OH, OW].
struct PlannedReLUMaxPooling: PlannedLayer {
    let pooling: PlannedMaxPooling

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        maxPool2d(pooling.window, batch: pooling.batch, input: input, output: output, indices: pooling.indices, rectifying: true)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        maxPool2dInputGradient(pooling.window, batch: pooling.batch, outputGradient: outputGradient, gate: output,
                               indices: pooling.indices, inputGradient: inputGradient)
    }
}
