import NNTensor

/// Zeroes each element with probability p and scales the rest by 1/(1 − p), as PyTorch's
/// training-mode dropout; the mask is drawn from `generator`. input [*] → output [*].
func dropout(_ input: Variable, probability: Float, generator: inout RandomGenerator) -> Variable {
    let mask = Tensor(shape: input.shape) { mask in drawDropoutMask(probability: probability, generator: &generator, into: mask) }
    let output = Tensor(shape: input.shape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            mask.scalars.withUnsafeBufferPointer { mask in multiply(y, x, mask) }
        }
    }
    return record(output, inputs: [input]) { ScaleByOperation(input: input, factors: mask) }
}
