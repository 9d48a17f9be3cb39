import Foundation

// Reductions over one axis of a tensor viewed as [outer, size, inner] (row-major): element
// (o, i, j) sits at (o · size + i) · inner + j. A reduction "over the axis" runs over i.

/// Softmax (or log-softmax) over the axis: output[o, i, j] = exp(x[o,i,j] − m) / Σᵢ exp(x[o,i,j] − m),
/// m the maximum over i (so large inputs do not overflow).
public func softmax(outer: Int, size: Int, inner: Int, logarithm: Bool,
                    input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
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

/// The gradient of `softmax`, accumulated into `inputGradient`, from the forward `output` y and
/// the output gradient g: softmax dx = y · (g − Σᵢ g·y); log-softmax dx = g − eʸ · Σᵢ g.
public func softmaxBackward(outer: Int, size: Int, inner: Int, logarithm: Bool,
                            output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                            inputGradient: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
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

/// Per index i of the axis, the mean and the biased variance of x[o, i, j] over all o and j
/// (batch-norm channel statistics; with outer 1 and size = rows, layer-norm row statistics).
/// Accumulates in Double, two passes, for float32-exact results on long axes.
public func axisMeanAndVariance(outer: Int, size: Int, inner: Int, input: UnsafePointer<Float>,
                                mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    let count = Double(outer * inner)
    for i in 0..<size {
        var sum: Double = 0
        for o in 0..<outer {
            let row = input + (o * size + i) * inner
            for j in 0..<inner { sum += Double(row[j]) }
        }
        let average = sum / count
        var squares: Double = 0
        for o in 0..<outer {
            let row = input + (o * size + i) * inner
            for j in 0..<inner {
                let deviation = Double(row[j]) - average
                squares += deviation * deviation
            }
        }
        mean[i] = Float(average)
        variance[i] = Float(squares / count)
    }
}

/// sums[i] += Σ over o, j of x[o, i, j] (bias gradients: per output feature, per channel);
/// each row of `inner` values is summed in 16 lanes. Large inputs split the features (i) over the
/// worker pool; each sum is formed in the same order whatever the split.
public func accumulateAxisSums(outer: Int, size: Int, inner: Int, input: UnsafePointer<Float>,
                               sums: UnsafeMutablePointer<Float>) {
    let pool = WorkerPool.shared
    pool.forEachBlock(of: 0..<size, parts: outer * size * inner >= 65536 ? pool.threadCount : 1) { _, features in
        accumulateAxisSums(outer: outer, size: size, inner: inner, features: features, input: input, sums: sums)
    }
}

/// `accumulateAxisSums` for the sums of `features` only.
private func accumulateAxisSums(outer: Int, size: Int, inner: Int, features: Range<Int>, input: UnsafePointer<Float>,
                                sums: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
        for i in features {
            let row = input + (o * size + i) * inner
            var lanes = SIMD16<Float>()
            let vectorEnd = inner / 16 * 16
            for j in stride(from: 0, to: vectorEnd, by: 16) { lanes += loadVector(row + j) }
            var sum = lanes.sum()
            for j in vectorEnd..<inner { sum += row[j] }
            sums[i] += sum
        }
    }
}
