import NNTensor

/// A Transpose layer (or `torch.transpose` step) over planned buffers, as autograd's `transpose`:
/// the input with two dimensions swapped, and its gradient swapped back (`DimensionSwap`).
/// input [A…, d0, B…, d1, C…] → output [A…, d1, B…, d0, C…].
struct PlannedTranspose: PlannedLayer {
    /// The forward swap, over the input's shape, and the backward one, over the output's.
    let forwardSwap: DimensionSwap, backwardSwap: DimensionSwap

    init(input: [Int], output: [Int], _ dim0: Int, _ dim1: Int) {
        forwardSwap = DimensionSwap(shape: input, dim0, dim1)
        backwardSwap = DimensionSwap(shape: output, dim0, dim1)
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        forwardSwap.apply(input, into: output)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        backwardSwap.apply(outputGradient, into: inputGradient)
    }
}
