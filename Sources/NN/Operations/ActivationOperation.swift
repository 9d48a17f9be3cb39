import NNTensor

/// y = f(x) elementwise; the backward rule reads x (the input's value) and the saved y, so the
/// forward pass writes nothing but y. input [*] → output [*].
func activation(_ input: Variable, _ function: Activation) -> Variable {
    let output = Tensor(shape: input.shape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in applyActivation(function, input: x, output: y, derivative: nil) }
    }
    return record(output, inputs: [input]) { ActivationOperation(input: input, function: function, output: output) }
}

/// dx = dy · f′(x), f′ from x and y (ReLU: 0 where y ≤ 0, else dy, as PyTorch's `threshold_backward`).
private struct ActivationOperation: DifferentiableOperation {
    let input: Variable
    let function: Activation
    /// The forward output y (shared storage, not a copy).
    let output: Tensor
    var inputs: [Variable] { [input] }

    /// Written into the output gradient's own storage (the pass hands it over), which becomes the
    /// input's first contribution: no fresh buffer.
    func backward(_ outputGradient: consuming Tensor) {
        guard input.requiresGrad else { return }
        input.accumulateGradient(outputGradient.transformedInPlace { dy, dx in
            input.value.scalars.withUnsafeBufferPointer { x in
                output.scalars.withUnsafeBufferPointer { y in
                    activationBackward(function, input: x, output: y, outputGradient: dy, inputGradient: dx)
                }
            }
        })
    }
}

/// dx += dy · factors, elementwise: the backward rule of a pointwise map whose forward pass saved
/// its multiplier (dropout's scaled mask).
struct ScaleByOperation: DifferentiableOperation {
    let input: Variable
    /// Per-element ∂y/∂x, of the input's shape.
    let factors: Tensor
    var inputs: [Variable] { [input] }

    func backward(_ outputGradient: consuming Tensor) {
        guard input.requiresGrad else { return }
        input.accumulateGradient(outputGradient.transformedInPlace { dy, dx in
            factors.scalars.withUnsafeBufferPointer { factors in multiply(dx, dy, factors) }
        })
    }
}
