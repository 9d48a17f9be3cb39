/// The loops of an embedding lookup, shared by autograd's `embedding` and a `TrainingPlan`.
/// `ids` [count] are row indices carried as floats (whole numbers in 0..<V, checked by the caller);
/// table and its gradient [V, width]; output and its gradient [count, width].
public struct EmbeddingRows {
    public let count: Int, width: Int

    public init(count: Int, width: Int) {
        (self.count, self.width) = (count, width)
    }

    /// output[position] = table[ids[position]].
    public func gather(ids: UnsafePointer<Float>, table: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        for position in 0..<count {
            (output + position * width).update(from: table + Int(ids[position]) * width, count: width)
        }
    }

    /// dTable[row] += dOutput[position] for each position reading row, except `paddingRow` (PyTorch's
    /// `embedding_dense_backward`); with `frequencies` ([V] working memory), each contribution divided by
    /// how often its row is read.
    public func accumulateGradient(ids: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, paddingRow: Int?,
                                   frequencies: UnsafeMutableBufferPointer<Int32>?, tableGradient dw: UnsafeMutablePointer<Float>) {
        if let frequencies {
            frequencies.update(repeating: 0)
            for position in 0..<count { frequencies[Int(ids[position])] += 1 }
        }
        for position in 0..<count {
            let row = Int(ids[position])
            guard row != paddingRow else { continue }
            addScaled(UnsafeMutableBufferPointer(start: dw + row * width, count: width), UnsafeBufferPointer(start: dy + position * width, count: width),
                      scale: frequencies.map { 1 / Float($0[row]) } ?? 1)
        }
    }
}
