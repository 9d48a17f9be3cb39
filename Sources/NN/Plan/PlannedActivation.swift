import NNTensor

/// An activation layer over planned buffers, as autograd's `activation`: the forward pass writes
/// only y = f(x); the backward pass computes dx = dy · f′ from x and y (`activationBackward`).
/// input [*] → output [*].
struct PlannedActivation: PlannedLayer {
    let function: Activation
    let count: Int

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        applyActivation(function, input: UnsafeBufferPointer(start: input, count: count),
                        output: UnsafeMutableBufferPointer(start: output, count: count), derivative: nil)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        activationBackward(function, input: UnsafeBufferPointer(start: input, count: count),
                           output: UnsafeBufferPointer(start: output, count: count),
                           outputGradient: UnsafeBufferPointer(start: outputGradient, count: count),
                           inputGradient: UnsafeMutableBufferPointer(start: inputGradient, count: count))
    }
}
