import NNTensor

/// Dimensions `dim0` and `dim1` of `input` swapped, copied into a contiguous tensor, as
/// `torch.transpose(input, dim0, dim1).contiguous()`. [A…, d0, B…, d1, C…] → [A…, d1, B…, d0, C…].
func transpose(_ input: Variable, _ dim0: Int, _ dim1: Int) -> Variable {
    record(input.value.swappingDimensions(dim0, dim1), inputs: [input]) { TransposeOperation(input: input, dim0: dim0, dim1: dim1) }
}

/// The gradient swapped back: a transpose is its own inverse.
private struct TransposeOperation: DifferentiableOperation {
    let input: Variable
    let dim0: Int, dim1: Int
    var inputs: [Variable] { [input] }
    /// Needs only shapes, so it survives a backward pass (as PyTorch).
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        input.accumulateGradient(outputGradient.swappingDimensions(dim0, dim1))
    }
}

extension Tensor {
    /// This tensor with dimensions `dim0` and `dim1` (each in 0..<rank) swapped, contiguous.
    func swappingDimensions(_ dim0: Int, _ dim1: Int) -> Tensor {
        let (low, high) = (Swift.min(dim0, dim1), Swift.max(dim0, dim1))
        guard low != high else { return self }
        // Viewed as [outer, a, middle, b, inner]; the output is [outer, b, middle, a, inner].
        let outer = shape[..<low].reduce(1, *), a = shape[low], middle = shape[(low + 1)..<high].reduce(1, *)
        let b = shape[high], inner = shape[(high + 1)...].reduce(1, *)
        var outputShape = shape
        outputShape.swapAt(low, high)
        var output = Tensor(zeros: outputShape)
        scalars.withUnsafeBufferPointer { source in
            output.scalars.withUnsafeMutableBufferPointer { target in
                var written = 0
                for o in 0..<outer {
                    for j in 0..<b {
                        for m in 0..<middle {
                            for i in 0..<a {
                                let start = (((o * a + i) * middle + m) * b + j) * inner
                                for k in 0..<inner { target[written + k] = source[start + k] }
                                written += inner
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}
