/// Two dimensions of a contiguous tensor swapped into another contiguous one, shared by autograd's
/// `transpose` and `swapLeadingAxes` and a `TrainingPlan`'s Transpose and batch-first recurrent layers.
/// Viewed as [outer, a, middle, b, inner] → [outer, b, middle, a, inner].
public struct DimensionSwap {
    public let outer: Int, a: Int, middle: Int, b: Int, inner: Int

    /// Swaps dimensions `dim0` and `dim1` (each in 0..<shape.count) of a tensor of `shape`.
    public init(shape: [Int], _ dim0: Int, _ dim1: Int) {
        let (low, high) = (Swift.min(dim0, dim1), Swift.max(dim0, dim1))
        outer = shape[..<low].reduce(1, *)
        a = shape[low]
        middle = low == high ? 1 : shape[(low + 1)..<high].reduce(1, *)
        b = low == high ? 1 : shape[high]
        inner = shape[(high + 1)...].reduce(1, *)
    }

    /// The element count.
    public var count: Int { outer * a * middle * b * inner }

    /// Writes `source` with the dimensions swapped into `target` (every element; they must not
    /// overlap), split over the worker pool when large.
    public func apply(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        let pool = WorkerPool.shared, targetRows = outer * b
        pool.forEachBlock(of: 0..<targetRows, parts: pool.balancedParts(for: targetRows, elements: count),
                          context: (self, source, target)) { context, _, rows in
            context.0.copy(rows: rows, from: context.1, into: context.2)
        }
    }

    /// Target rows `rows` of [outer · b, middle · a · inner]: row o·b + j is every (m, i) of source
    /// [o, i, m, j].
    private func copy(rows: Range<Int>, from source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        var destination = target + rows.lowerBound * middle * a * inner
        // From one i to the next in the source.
        let step = middle * b * inner
        for row in rows {
            let (o, j) = row.quotientAndRemainder(dividingBy: b)
            for m in 0..<middle {
                let start = source + ((o * a * middle + m) * b + j) * inner
                if inner == 1 {
                    for i in 0..<a { destination[i] = start[i * step] }
                } else {
                    for i in 0..<a { copyRun(from: start + i * step, to: destination + i * inner, count: inner) }
                }
                destination += a * inner
            }
        }
    }
}
