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

    /// Writes `source` with the dimensions swapped into `target` (every element; they must not overlap).
    public func apply(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        var written = 0
        for o in 0..<outer {
            for j in 0..<b {
                for m in 0..<middle {
                    for i in 0..<a {
                        (target + written).update(from: source + (((o * a + i) * middle + m) * b + j) * inner, count: inner)
                        written += inner
                    }
                }
            }
        }
    }
}
