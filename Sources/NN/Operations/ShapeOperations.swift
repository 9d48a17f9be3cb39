import NNTensor

/// The same elements with another shape of equal count (Flatten). input [*] → output `shape`.
func reshape(_ input: Variable, to shape: [Int]) throws(NNError) -> Variable {
    let output: Tensor
    do { output = try input.value.reshaped(shape) } catch { throw NNError(error) }
    return record(output, inputs: [input]) { ReshapeOperation(input: input) }
}

/// The gradient reshaped back to the input's shape.
private struct ReshapeOperation: DifferentiableOperation {
    let input: Variable
    var inputs: [Variable] { [input] }
    /// Needs only shapes, so it survives a backward pass (as PyTorch).
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        input.accumulateGradient(Tensor(shape: input.shape, scalars: outputGradient.scalars))
    }
}

/// The elementwise sum of inputs of one shape (residual connections). [*] each → [*].
func sum(_ inputs: [Variable]) throws(NNError) -> Variable {
    guard let first = inputs.first else { throw .invalidArgument("Add needs at least one input") }
    if let other = inputs.first(where: { $0.shape != first.shape }) {
        throw .shapeMismatch("Add needs inputs of one shape but got \(first.shape) and \(other.shape)")
    }
    var output = first.value
    for input in inputs.dropFirst() { output.add(input.value) }
    return record(output, inputs: inputs) { SumOperation(inputs: inputs) }
}

/// Every input receives the output gradient unchanged.
private struct SumOperation: DifferentiableOperation {
    let inputs: [Variable]
    /// Needs only shapes, so it survives a backward pass (as PyTorch).
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        for input in inputs { input.accumulateGradient(outputGradient) }
    }
}

/// Joins inputs along `dim`; all other dimensions must agree. [A…, dᵢ, B…] each → [A…, Σdᵢ, B…].
func concatenate(_ inputs: [Variable], dim: Int) throws(NNError) -> Variable {
    guard let first = inputs.first else { throw .invalidArgument("Concat needs at least one input") }
    let axis = try normalizedDimension(dim, rank: first.shape.count, "Concat")
    for input in inputs {
        var expected = first.shape, actual = input.shape
        guard actual.count == expected.count else {
            throw .shapeMismatch("Concat along dim \(dim) needs inputs of one rank but got \(first.shape) and \(input.shape)")
        }
        expected[axis] = 0; actual[axis] = 0
        guard actual == expected else {
            throw .shapeMismatch("Concat along dim \(dim) needs matching sizes except dim \(dim) but got \(first.shape) and \(input.shape)")
        }
    }
    var shape = first.shape
    shape[axis] = inputs.map { $0.shape[axis] }.reduce(0, +)
    let (outer, _, inner) = splitAround(shape, axis: axis)
    var output = [Float]()
    output.reserveCapacity(shape.elementCount)
    for o in 0..<outer {
        for input in inputs {
            let block = input.shape[axis] * inner
            output.append(contentsOf: input.value.scalars[(o * block)..<((o + 1) * block)])
        }
    }
    return record(Tensor(shape: shape, scalars: output), inputs: inputs) { ConcatOperation(inputs: inputs, axis: axis) }
}

/// Each input receives its slice of the output gradient.
private struct ConcatOperation: DifferentiableOperation {
    let inputs: [Variable]
    let axis: Int
    /// Needs only shapes, so it survives a backward pass (as PyTorch).
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        let (outer, total, inner) = splitAround(outputGradient.shape, axis: axis)
        var start = 0
        for input in inputs {
            let block = input.shape[axis] * inner
            let offset = start
            input.accumulateGradient { dx in
                outputGradient.scalars.withUnsafeBufferPointer { dy in
                    for o in 0..<outer {
                        addAssign(UnsafeMutableBufferPointer(rebasing: dx[(o * block)..<((o + 1) * block)]),
                                  UnsafeBufferPointer(rebasing: dy[(o * total * inner + offset)..<(o * total * inner + offset + block)]))
                    }
                }
            }
            start += block
        }
    }
}
