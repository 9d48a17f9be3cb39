import NNTensor

/// Zeroes each element with probability p and scales the rest by 1/(1 − p), as PyTorch's
/// training-mode dropout; the mask is drawn from `generator`. input [*] → output [*].
func dropout(_ input: Variable, probability: Float, generator: inout RandomGenerator) -> Variable {
    let scale: Float = probability < 1 ? 1 / (1 - probability) : 0
    var mask = Tensor(zeros: input.shape)
    var output = Tensor(zeros: input.shape)
    mask.scalars.withUnsafeMutableBufferPointer { mask in
        for index in 0..<mask.count where generator.nextUnitFloat() >= probability { mask[index] = scale }
        input.value.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in addProduct(y, x, UnsafeBufferPointer(mask)) }
        }
    }
    return record(output, inputs: [input]) { ScaleByOperation(input: input, factors: mask) }
}
