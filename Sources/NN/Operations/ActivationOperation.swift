import NNTensor

/// y = f(x) elementwise; saves f′(x) when recorded (an empty input has nothing to save).
/// input [*] → output [*].
func activation(_ input: Variable, _ function: Activation) -> Variable {
    let recorded = isRecorded([input])
    var derivative: Tensor?
    let output = Tensor(shape: input.shape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            if recorded {
                derivative = Tensor(shape: input.shape) { slope in applyActivation(function, input: x, output: y, derivative: slope) }
            } else {
                applyActivation(function, input: x, output: y, derivative: nil)
            }
        }
    }
    return record(output, inputs: [input]) { ScaleByOperation(input: input, factors: derivative ?? Tensor(zeros: input.shape)) }
}

/// dx += dy · factors, elementwise: the backward rule of every pointwise map whose forward pass
/// saved its derivative (activations) or its multiplier (dropout's scaled mask).
struct ScaleByOperation: DifferentiableOperation {
    let input: Variable
    /// Per-element ∂y/∂x, of the input's shape.
    let factors: Tensor
    var inputs: [Variable] { [input] }

    /// The product dy · factors is written into fresh storage and handed over (the first contribution
    /// to a gradient is stored without a copy), rather than added into a zero-filled one.
    func backward(_ outputGradient: Tensor) {
        guard input.requiresGrad else { return }
        input.accumulateGradient(Tensor(shape: input.shape) { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                factors.scalars.withUnsafeBufferPointer { factors in multiply(dx, dy, factors) }
            }
        })
    }
}
