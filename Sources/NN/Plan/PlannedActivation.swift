import NNTensor

/// An activation layer over planned buffers: `applyActivation` saving f′(x), and dx = dy · f′(x),
/// as autograd's `activation`. input [*] → output [*].
struct PlannedActivation: PlannedLayer {
    let function: Activation
    let count: Int
    /// f′(x) of the last forward pass; nil when no input gradient is needed.
    let derivative: UnsafeMutablePointer<Float>?

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        applyActivation(function, input: UnsafeBufferPointer(start: input, count: count),
                        output: UnsafeMutableBufferPointer(start: output, count: count),
                        derivative: derivative.map { UnsafeMutableBufferPointer(start: $0, count: count) })
    }

    func backward(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient, let derivative else { return }
        multiply(UnsafeMutableBufferPointer(start: inputGradient, count: count), UnsafeBufferPointer(start: outputGradient, count: count),
                 UnsafeBufferPointer(start: derivative, count: count))
    }
}
