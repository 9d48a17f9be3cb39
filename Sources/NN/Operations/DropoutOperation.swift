import NNTensor

/// Zeroes each element with probability p and scales the rest by 1/(1 − p), as PyTorch's
/// training-mode dropout; the mask is drawn from `generator`. input [*] → output [*].
func dropout(_ input: Variable, probability: Float, generator: inout RandomGenerator) -> Variable {
    let scale: Float = probability < 1 ? 1 / (1 - probability) : 0
    let mask = Tensor(shape: input.shape) { mask in
        for index in mask.indices { mask[index] = generator.nextUnitFloat() >= probability ? scale : 0 }
    }
    let output = Tensor(shape: input.shape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            mask.scalars.withUnsafeBufferPointer { mask in
                for index in y.indices { y[index] = x[index] * mask[index] }
            }
        }
    }
    return record(output, inputs: [input]) { ScaleByOperation(input: input, factors: mask) }
}
