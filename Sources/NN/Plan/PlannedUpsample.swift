import NNTensor

/// An Upsample layer over planned buffers, through the `Interpolation2d` autograd's `upsample` runs.
/// input [N, C, H, W] → output [N, C, OH, OW].
struct PlannedUpsample: PlannedLayer {
    let interpolation: Interpolation2d

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        guard interpolation.planes > 0 else { return }
        interpolation.forward(x: input, y: output)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient, interpolation.planes > 0 else { return }
        interpolation.accumulateInputGradient(dy: outputGradient, dx: inputGradient)
    }

    var addsIntoInputGradient: Bool { true }
}
