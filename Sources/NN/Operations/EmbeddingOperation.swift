import NNTensor

/// The rows of `weight` [V, D] named by `ids` [*] (whole numbers in 0..<V, carried as floats)
/// → output [*, D]. The ids are constants: no gradient flows to them, as to PyTorch's integer indices.
func embedding(_ ids: Tensor, weight: Variable, paddingIdx: Int?, scaleGradByFreq: Bool) throws(NNError) -> Variable {
    let (vocabulary, width) = (weight.shape[0], weight.shape[1])
    try ids.scalars.withUnsafeBufferPointer { ids throws(NNError) in try checkTokenIDs(ids, vocabulary: vocabulary) }
    let rows = EmbeddingRows(count: ids.count, width: width)
    let output = Tensor(shape: ids.shape + [width]) { y in
        ids.scalars.withUnsafeBufferPointer { ids in
            weight.withValue { w in rows.gather(ids: ids.baseAddress!, table: w, output: y.baseAddress!) }
        }
    }
    return record(output, inputs: [weight]) {
        EmbeddingOperation(weight: weight, ids: ids, rows: rows, paddingIdx: paddingIdx, scaleGradByFreq: scaleGradByFreq)
    }
}

/// Throws naming the first of `ids` that is not a whole number in 0..<vocabulary.
func checkTokenIDs(_ ids: UnsafeBufferPointer<Float>, vocabulary: Int) throws(NNError) {
    for (position, id) in ids.enumerated() {
        guard id.rounded() == id, id >= 0, id < Float(vocabulary) else {
            throw .invalidArgument(
                "Embedding: input element \(position) is \(id), not a token id in 0…\(vocabulary - 1) (ids are whole numbers below num_embeddings)")
        }
    }
}

/// dW[row] += dY[position] for each position reading row, except the padding row
/// (`EmbeddingRows.accumulateGradient`); with `scaleGradByFreq`, divided by how often the row is read.
private struct EmbeddingOperation: DifferentiableOperation {
    let weight: Variable
    let ids: Tensor
    let rows: EmbeddingRows
    let paddingIdx: Int?
    let scaleGradByFreq: Bool
    var inputs: [Variable] { [weight] }

    func backward(_ outputGradient: Tensor) {
        var frequencies = [Int32](repeating: 0, count: scaleGradByFreq ? weight.shape[0] : 0)
        weight.accumulateGradient { dw in
            guard rows.count > 0 else { return }
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                ids.scalars.withUnsafeBufferPointer { ids in
                    frequencies.withUnsafeMutableBufferPointer { frequencies in
                        rows.accumulateGradient(ids: ids.baseAddress!, outputGradient: dy.baseAddress!, paddingRow: paddingIdx,
                                                frequencies: scaleGradByFreq ? frequencies : nil, tableGradient: dw.baseAddress!)
                    }
                }
            }
        }
    }
}
