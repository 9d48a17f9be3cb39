import NNTensor

/// input [N, C, H, W] → output [N, C, OH, OW] sampled by `interpolation` (its planes are N·C).
func upsample(_ input: Variable, _ interpolation: Interpolation2d) -> Variable {
    let output = Tensor(shape: [input.shape[0], input.shape[1], interpolation.rows.count, interpolation.columns.count]) { y in
        guard interpolation.planes > 0 else { return }
        input.withValue { x in interpolation.forward(x: x, y: y.baseAddress!) }
    }
    return record(output, inputs: [input]) { UpsampleOperation(input: input, interpolation: interpolation) }
}

/// Each output gradient goes back to its sources with the forward weights.
private struct UpsampleOperation: DifferentiableOperation {
    let input: Variable
    let interpolation: Interpolation2d
    var inputs: [Variable] { [input] }
    /// Needs only the index and weight tables, so it survives a backward pass (as PyTorch).
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        guard interpolation.planes > 0 else { return }
        input.accumulateGradient { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                interpolation.accumulateInputGradient(dy: dy.baseAddress!, dx: dx.baseAddress!)
            }
        }
    }
}
