import NNTensor

/// A Dropout layer over planned buffers, as autograd's `dropout`: in training mode a mask drawn
/// from the layer's generator (the same draws as autograd's), y = x · mask, dx = dy · mask; in
/// evaluation mode a mask of ones (the identity, exactly). input [*] → output [*].
struct PlannedDropout: PlannedLayer {
    let layer: Dropout
    let count: Int
    /// The multipliers of the last forward pass.
    let mask: UnsafeMutablePointer<Float>

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let mask = UnsafeMutableBufferPointer(start: mask, count: count)
        if layer.isTraining {
            drawDropoutMask(probability: Float(layer.p), generator: &layer.generator, into: mask)
        } else {
            mask.update(repeating: 1)
        }
        multiply(UnsafeMutableBufferPointer(start: output, count: count), UnsafeBufferPointer(start: input, count: count),
                 UnsafeBufferPointer(mask))
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        multiply(UnsafeMutableBufferPointer(start: inputGradient, count: count), UnsafeBufferPointer(start: outputGradient, count: count),
                 UnsafeBufferPointer(start: mask, count: count))
    }
}
