import NNTensor

/// `dim` of a tensor of `rank`, with Python's negative indexing, or an error naming both.
func normalizedDimension(_ dim: Int, rank: Int, _ context: String) throws(NNError) -> Int {
    let resolved = dim < 0 ? dim + rank : dim
    guard resolved >= 0, resolved < max(rank, 1) else {
        throw .invalidArgument("\(context): dim \(dim) is out of range for a tensor of rank \(rank)")
    }
    return resolved
}

/// Softmax or log-softmax over `dim`. input [*] → output [*].
func softmax(_ input: Variable, dim: Int, logarithm: Bool) throws(NNError) -> Variable {
    let axis = try normalizedDimension(dim, rank: input.shape.count, logarithm ? "LogSoftmax" : "Softmax")
    let (outer, size, inner) = splitAround(input.shape, axis: axis)
    let output = Tensor(shape: input.shape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            NNTensor.softmax(outer: outer, size: size, inner: inner, logarithm: logarithm,
                             input: x.baseAddress!, output: y.baseAddress!)
        }
    }
    return record(output, inputs: [input]) { SoftmaxOperation(input: input, output: output, axis: axis, logarithm: logarithm) }
}

/// softmax: dx = y · (dy − Σ dy·y); log-softmax: dx = dy − eʸ · Σ dy (sums over the axis).
private struct SoftmaxOperation: DifferentiableOperation {
    let input: Variable
    /// The forward output (a value, not the output variable).
    let output: Tensor
    let axis: Int, logarithm: Bool
    var inputs: [Variable] { [input] }

    func backward(_ outputGradient: Tensor) {
        guard output.count > 0 else { return }
        let (outer, size, inner) = splitAround(output.shape, axis: axis)
        input.accumulateGradient { dx in
            output.scalars.withUnsafeBufferPointer { y in
                outputGradient.scalars.withUnsafeBufferPointer { dy in
                    softmaxBackward(outer: outer, size: size, inner: inner, logarithm: logarithm,
                                    output: y.baseAddress!, outputGradient: dy.baseAddress!, inputGradient: dx.baseAddress!)
                }
            }
        }
    }
}
