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
        guard dim0 != dim1 else { return self }
        var outputShape = shape
        outputShape.swapAt(dim0, dim1)
        let swap = DimensionSwap(shape: shape, dim0, dim1)
        return Tensor(shape: outputShape) { target in
            scalars.withUnsafeBufferPointer { source in swap.apply(source.baseAddress!, into: target.baseAddress!) }
        }
    }
}
