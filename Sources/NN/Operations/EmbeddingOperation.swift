import NNTensor

/// The rows of `weight` [V, D] named by `ids` [*] (whole numbers in 0..<V, carried as floats)
/// → output [*, D]. The ids are constants: no gradient flows to them, as to PyTorch's integer indices.
func embedding(_ ids: Tensor, weight: Variable, paddingIdx: Int?, scaleGradByFreq: Bool) throws(NNError) -> Variable {
    let (vocabulary, width) = (weight.shape[0], weight.shape[1])
    let rows = try tokenRows(ids, vocabulary: vocabulary)
    let output = Tensor(shape: ids.shape + [width]) { y in
        weight.value.scalars.withUnsafeBufferPointer { w in
            for (position, row) in rows.enumerated() {
                (y.baseAddress! + position * width).update(from: w.baseAddress! + row * width, count: width)
            }
        }
    }
    return record(output, inputs: [weight]) {
        EmbeddingOperation(weight: weight, rows: rows, paddingIdx: paddingIdx, scaleGradByFreq: scaleGradByFreq)
    }
}

/// The ids as row indices, or an error naming the first that is not a whole number in 0..<vocabulary.
private func tokenRows(_ ids: Tensor, vocabulary: Int) throws(NNError) -> [Int] {
    var rows = [Int](repeating: 0, count: ids.count)
    for (position, id) in ids.scalars.enumerated() {
        guard id.rounded() == id, id >= 0, id < Float(vocabulary) else {
            throw .invalidArgument(
                "Embedding: input element \(position) is \(id), not a token id in 0…\(vocabulary - 1) (ids are whole numbers below num_embeddings)")
        }
        rows[position] = Int(id)
    }
    return rows
}

/// dW[row] += dY[position] for each position reading row, except the padding row (PyTorch's
/// `embedding_dense_backward`); with `scaleGradByFreq`, divided by how often the row is read.
private struct EmbeddingOperation: DifferentiableOperation {
    let weight: Variable
    let rows: [Int]
    let paddingIdx: Int?
    let scaleGradByFreq: Bool
    var inputs: [Variable] { [weight] }

    func backward(_ outputGradient: Tensor) {
        let width = weight.shape[1]
        var counts = [Int: Int]()
        if scaleGradByFreq { for row in rows { counts[row, default: 0] += 1 } }
        weight.accumulateGradient { dw in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                for (position, row) in rows.enumerated() where row != paddingIdx {
                    let destination = UnsafeMutableBufferPointer(rebasing: dw[(row * width)..<((row + 1) * width)])
                    let source = UnsafeBufferPointer(rebasing: dy[(position * width)..<((position + 1) * width)])
                    addScaled(destination, source, scale: scaleGradByFreq ? 1 / Float(counts[row]!) : 1)
                }
            }
        }
    }
}
