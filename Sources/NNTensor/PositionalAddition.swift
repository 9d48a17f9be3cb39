/// The loops of a learned positional embedding, shared by autograd's `addPositions` and a
/// `TrainingPlan`: x, y and their gradients [N, L, D]; the table [≥ L, D], of which the first L rows
/// are read and receive gradient.
public struct PositionalAddition: Sendable {
    public let batch: Int, length: Int, width: Int

    public init(batch: Int, length: Int, width: Int) {
        (self.batch, self.length, self.width) = (batch, length, width)
    }

    /// Elements of one sequence, L·D.
    var block: Int { length * width }

    /// y[n, l] = x[n, l] + table[l].
    public func forward(x: UnsafePointer<Float>, table: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        for n in 0..<batch {
            let offset = n * block
            for index in 0..<block { y[offset + index] = x[offset + index] + table[index] }
        }
    }

    /// dTable[l] += Σ_n dy[n, l]: the sum formed from zero over n in order, then added.
    public func accumulateTableGradient(outputGradient dy: UnsafePointer<Float>, tableGradient: UnsafeMutablePointer<Float>) {
        let block = block
        ScratchBuffers.withBuffer(count: block) { sums in
            sums.update(repeating: 0, count: block)
            accumulateAxisSums(outer: batch, size: block, inner: 1, input: dy, sums: sums)
            addAssign(UnsafeMutableBufferPointer(start: tableGradient, count: block), UnsafeBufferPointer(start: sums, count: block))
        }
    }
}
