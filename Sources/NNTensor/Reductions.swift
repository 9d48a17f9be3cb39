import Foundation

// Reductions over one axis of a tensor viewed as [outer, size, inner] (row-major): element
// (o, i, j) sits at (o · size + i) · inner + j. A reduction "over the axis" runs over i.

/// sums[i] += Σ over o, j of x[o, i, j] (bias gradients: per output feature, per channel), and the
/// same into `otherSums` when given (a recurrent layer's b_ih and b_hh, whose gradients are the same
/// sums): the values of two calls, the second reading the features' block from cache.
/// With inner 1 (a linear layer's [rows, features]) whole rows are added, vectorised over i; else
/// each feature's rows are summed in 16 lanes across all o, then reduced once. Large inputs split
/// the features (i) over the worker pool, in blocks of `addRows`' 64 columns when inner is 1; each
/// sum is formed in the same order whatever the split.
public func accumulateAxisSums(outer: Int, size: Int, inner: Int, input: UnsafePointer<Float>,
                               sums: UnsafeMutablePointer<Float>, otherSums: UnsafeMutablePointer<Float>? = nil) {
    let pool = WorkerPool.shared, unit = inner == 1 ? rowBlockColumns : 1, units = (size + unit - 1) / unit
    let parts = outer * size * inner >= 65536 ? pool.balancedParts(for: units) : 1
    pool.forEachBlock(of: 0..<units, parts: parts, context: (outer, size, inner, input, sums, otherSums, unit)) { context, _, units in
        let (outer, size, inner, input, sums, otherSums, unit) = context
        let features = (units.lowerBound * unit)..<min(units.upperBound * unit, size)
        if inner == 1 {
            addRows(outer: outer, stride: size, columns: features, input: input, sums: sums)
            if let otherSums { addRows(outer: outer, stride: size, columns: features, input: input, sums: otherSums) }
        } else {
            for i in features {
                let sum = axisSum(outer: outer, stride: size * inner, inner: inner, input: input + i * inner)
                sums[i] += sum
                otherSums?[i] += sum
            }
        }
    }
}

/// Columns `addRows` adds at a time: four independent vector sums, which hide the additions' latency.
private let rowBlockColumns = 64

/// sums[j] += input[o · stride + j] for o = 0, 1, … in turn, j in `columns`: each sum kept in a
/// register across all rows (`rowBlockColumns` at a time), not loaded and stored per row.
private func addRows(outer: Int, stride: Int, columns: Range<Int>, input: UnsafePointer<Float>, sums: UnsafeMutablePointer<Float>) {
    var column = columns.lowerBound
    while column + rowBlockColumns <= columns.upperBound {
        var (a, b, c, d) = (loadVector(sums + column), loadVector(sums + column + 16), loadVector(sums + column + 32),
                            loadVector(sums + column + 48))
        for o in 0..<outer {
            let row = input + o * stride + column
            (a, b, c, d) = (a + loadVector(row), b + loadVector(row + 16), c + loadVector(row + 32), d + loadVector(row + 48))
        }
        storeVector(a, sums + column)
        storeVector(b, sums + column + 16)
        storeVector(c, sums + column + 32)
        storeVector(d, sums + column + 48)
        column += rowBlockColumns
    }
    while column + 16 <= columns.upperBound {
        var sum = loadVector(sums + column)
        for o in 0..<outer { sum += loadVector(input + o * stride + column) }
        storeVector(sum, sums + column)
        column += 16
    }
    for column in column..<columns.upperBound {
        var sum = sums[column]
        for o in 0..<outer { sum += input[o * stride + column] }
        sums[column] = sum
    }
}

/// Σ over o < outer, j < inner of input[o · stride + j]: 16 lanes (and the row ends) summed over
/// all rows, reduced at the end.
private func axisSum(outer: Int, stride: Int, inner: Int, input: UnsafePointer<Float>) -> Float {
    let vectorEnd = inner / 16 * 16
    var lanes = SIMD16<Float>(), ends: Float = 0
    for o in 0..<outer {
        let row = input + o * stride
        for j in Swift.stride(from: 0, to: vectorEnd, by: 16) { lanes += loadUnaligned(row + j, as: SIMD16<Float>.self) }
        for j in vectorEnd..<inner { ends += row[j] }
    }
    return lanes.sum() + ends
}

/// The naive `accumulateAxisSums`, one element at a time, that the fast one is tested against.
public func accumulateAxisSumsReference(outer: Int, size: Int, inner: Int, input: UnsafePointer<Float>,
                                        sums: UnsafeMutablePointer<Float>) {
    for i in 0..<size {
        var sum: Float = 0
        for o in 0..<outer {
            for j in 0..<inner { sum += input[(o * size + i) * inner + j] }
        }
        sums[i] += sum
    }
}
