import Foundation

// Reductions over one axis of a tensor viewed as [outer, size, inner] (row-major): element
// (o, i, j) sits at (o · size + i) · inner + j. A reduction "over the axis" runs over i.

/// Softmax (or log-softmax) over the axis: output[o, i, j] = exp(x[o,i,j] − m) / Σᵢ exp(x[o,i,j] − m),
/// m the maximum over i (so large inputs do not overflow). Split over the worker pool by `outer`
/// when large; each value is computed the same way whatever the split.
public func softmax(outer: Int, size: Int, inner: Int, logarithm: Bool,
                    input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    let pool = WorkerPool.shared
    pool.forEachBlock(of: 0..<outer, parts: pool.balancedParts(for: outer, elements: outer * size * inner),
                      context: (size, inner, logarithm, input, output)) { context, _, rows in
        let (size, inner, logarithm, input, output) = context
        for o in rows {
            for j in 0..<inner {
                let base = o * size * inner + j
                var maximum = -Float.infinity
                for i in 0..<size { maximum = max(maximum, input[base + i * inner]) }
                var total: Float = 0
                for i in 0..<size {
                    let shifted = input[base + i * inner] - maximum
                    output[base + i * inner] = shifted
                    total += exp(shifted)
                }
                if logarithm {
                    let logTotal = log(total)
                    for i in 0..<size { output[base + i * inner] -= logTotal }
                } else {
                    let inverse = 1 / total
                    for i in 0..<size { output[base + i * inner] = exp(output[base + i * inner]) * inverse }
                }
            }
        }
    }
}

/// The gradient of `softmax`, accumulated into `inputGradient`, from the forward `output` y and
/// the output gradient g: softmax dx = y · (g − Σᵢ g·y); log-softmax dx = g − eʸ · Σᵢ g. Split
/// over the worker pool by `outer` when large, as `softmax`.
public func softmaxBackward(outer: Int, size: Int, inner: Int, logarithm: Bool,
                            output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                            inputGradient: UnsafeMutablePointer<Float>) {
    let pool = WorkerPool.shared
    pool.forEachBlock(of: 0..<outer, parts: pool.balancedParts(for: outer, elements: outer * size * inner),
                      context: (size, inner, logarithm, output, outputGradient, inputGradient)) { context, _, rows in
        let (size, inner, logarithm, output, outputGradient, inputGradient) = context
        for o in rows {
            for j in 0..<inner {
                let base = o * size * inner + j
                var total: Float = 0
                if logarithm {
                    for i in 0..<size { total += outputGradient[base + i * inner] }
                    for i in 0..<size {
                        let index = base + i * inner
                        inputGradient[index] += outputGradient[index] - exp(output[index]) * total
                    }
                } else {
                    for i in 0..<size { total += outputGradient[base + i * inner] * output[base + i * inner] }
                    for i in 0..<size {
                        let index = base + i * inner
                        inputGradient[index] += output[index] * (outputGradient[index] - total)
                    }
                }
            }
        }
    }
}

/// sums[i] += Σ over o, j of x[o, i, j] (bias gradients: per output feature, per channel).
/// With inner 1 (a linear layer's [rows, features]) whole rows are added, vectorised over i; else
/// each feature's rows are summed in 16 lanes across all o, then reduced once. Large inputs split
/// the features (i) over the worker pool; each sum is formed in the same order whatever the split.
public func accumulateAxisSums(outer: Int, size: Int, inner: Int, input: UnsafePointer<Float>,
                               sums: UnsafeMutablePointer<Float>) {
    let pool = WorkerPool.shared
    let parts = outer * size * inner >= 65536 ? pool.balancedParts(for: size) : 1
    pool.forEachBlock(of: 0..<size, parts: parts, context: (outer, size, inner, input, sums)) { context, _, features in
        let (outer, size, inner, input, sums) = context
        if inner == 1 {
            for o in 0..<outer {
                let row = input + o * size
                for i in features { sums[i] += row[i] }
            }
        } else {
            for i in features { sums[i] += axisSum(outer: outer, stride: size * inner, inner: inner, input: input + i * inner) }
        }
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
