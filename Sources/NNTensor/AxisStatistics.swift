/// Per index i of the axis, the mean and the biased variance of x[o, i, j] over all o and j, for
/// x [outer, size, inner] (batch-norm channel statistics; with outer 1 and size = rows, layer-norm
/// row statistics). Accumulates in Double, in eight lanes, two passes (the mean, then the squared
/// deviations from it), for float32-exact results on long axes. Large inputs split the indices
/// over the worker pool; each index's statistics are formed in the same order whatever the split.
public func axisMeanAndVariance(outer: Int, size: Int, inner: Int, input: UnsafePointer<Float>,
                                mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    let pool = WorkerPool.shared
    let parts = outer * size * inner >= 65536 ? pool.balancedParts(for: size) : 1
    pool.forEachBlock(of: 0..<size, parts: parts, context: (outer, size, inner, input, mean, variance)) { context, _, indices in
        let (outer, size, inner, input, mean, variance) = context
        let count = Double(outer * inner)
        for i in indices {
            let lanes = AxisLanes(outer: outer, stride: size * inner, inner: inner, start: input + i * inner)
            let average = lanes.sum { $0 } / count
            let squares = lanes.sum { value in
                let deviation = value - average
                return deviation * deviation
            }
            mean[i] = Float(average)
            variance[i] = Float(squares / count)
        }
    }
}

/// The elements x[o · stride + j] for o < outer, j < inner: one index's rows of an axis.
private struct AxisLanes {
    let outer: Int, stride: Int, inner: Int, start: UnsafePointer<Float>

    /// Σ term(x) in Double: eight lanes over each row's whole vectors, then its last inner % 8
    /// elements as one vector whose other lanes are dropped, the lanes reduced at the end.
    @inline(__always) func sum(_ term: (SIMD8<Double>) -> SIMD8<Double>) -> Double {
        let vectorEnd = inner / 8 * 8
        let pastRowEnd = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7) .>= SIMD8(repeating: Int64(inner - vectorEnd))
        var lanes = SIMD8<Double>()
        for o in 0..<outer {
            let row = start + o * stride
            for j in Swift.stride(from: 0, to: vectorEnd, by: 8) {
                lanes += term(SIMD8<Double>(loadUnaligned(row + j, as: SIMD8<Float>.self)))
            }
            guard vectorEnd < inner else { continue }
            var rowEnd = SIMD8<Double>()
            for j in vectorEnd..<inner { rowEnd[j - vectorEnd] = Double(row[j]) }
            lanes += term(rowEnd).replacing(with: 0, where: pastRowEnd)
        }
        return lanes.sum()
    }
}

/// The naive `axisMeanAndVariance`, one element at a time in Double, that the fast one is tested
/// against.
public func axisMeanAndVarianceReference(outer: Int, size: Int, inner: Int, input: UnsafePointer<Float>,
                                         mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    let count = Double(outer * inner)
    for i in 0..<size {
        var sum: Double = 0
        for o in 0..<outer {
            for j in 0..<inner { sum += Double(input[(o * size + i) * inner + j]) }
        }
        let average = sum / count
        var squares: Double = 0
        for o in 0..<outer {
            for j in 0..<inner {
                let deviation = Double(input[(o * size + i) * inner + j]) - average
                squares += deviation * deviation
            }
        }
        mean[i] = Float(average)
        variance[i] = Float(squares / count)
    }
}
