import NNTensor

/// Swaps the first two dimensions: [A, B, *] → [B, A, *] (batch-first ↔ time-major sequences).
func swapLeadingAxes(_ input: Variable) throws(NNError) -> Variable {
    guard input.shape.count >= 2 else { throw .shapeMismatch("swapping the first two dimensions needs 2 or more, not \(input.shape)") }
    return record(input.value.swappingDimensions(0, 1), inputs: [input]) { SwapLeadingAxesOperation(input: input) }
}

/// The gradient swapped back.
private struct SwapLeadingAxesOperation: DifferentiableOperation {
    let input: Variable
    var inputs: [Variable] { [input] }
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        input.accumulateGradient(outputGradient.swappingDimensions(0, 1))
    }
}

/// Element `index` of the first dimension: [A, *] → [*] (a sequence's step, `output[-1]`).
func select(_ input: Variable, index: Int) throws(NNError) -> Variable {
    guard let count = input.shape.first, (0..<count).contains(index) else {
        throw .shapeMismatch("index \(index) is outside the first dimension of \(input.shape)")
    }
    let inner = Array(input.shape.dropFirst()).elementCount
    let output = Tensor(shape: Array(input.shape.dropFirst()), scalars: Array(input.value.scalars[(index * inner)..<((index + 1) * inner)]))
    return record(output, inputs: [input]) { SelectOperation(input: input, index: index) }
}

/// The gradient into the selected block; zeros elsewhere.
private struct SelectOperation: DifferentiableOperation {
    let input: Variable
    let index: Int
    var inputs: [Variable] { [input] }
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        let inner = outputGradient.count
        input.accumulateGradient { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                addAssign(UnsafeMutableBufferPointer(rebasing: dx[(index * inner)..<((index + 1) * inner)]), dy)
            }
        }
    }
}
