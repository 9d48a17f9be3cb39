/// The loops of layer normalisation over `rows` rows of `width` elements, shared by autograd's
/// `layerNorm` and a `TrainingPlan`. x, y, dy, dx [rows, width]; weight and bias [width] (or nil);
/// the row statistics mean and inverseDeviation [rows]; the gradient sums [width].
public struct LayerNormRows: Sendable {
    public let rows: Int, width: Int
    public let eps: Float

    public init(rows: Int, width: Int, eps: Float) {
        (self.rows, self.width, self.eps) = (rows, width, eps)
    }

    /// y = (x − mean[r]) · inverseDeviation[r] · weight[d] + bias[d], inverseDeviation = 1 / √(var[r] + eps)
    /// (the biased variance); writes the statistics, which `backward` reads.
    public func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>,
                        mean: UnsafeMutablePointer<Float>, inverseDeviation: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        axisMeanAndVariance(outer: 1, size: rows, inner: width, input: x, mean: mean, variance: inverseDeviation)
        for row in 0..<rows { inverseDeviation[row] = 1 / (inverseDeviation[row] + eps).squareRoot() }
        for row in 0..<rows {
            let base = row * width
            for d in 0..<width {
                var value = (x[base + d] - mean[row]) * inverseDeviation[row]
                if let weight { value *= weight[d] }
                if let bias { value += bias[d] }
                y[base + d] = value
            }
        }
    }

    /// Per row, with x̂ the normalised x and ĝ = dy · weight: dx = inverseDeviation / D · (D·ĝ − Σĝ − x̂·Σĝx̂)
    /// (written; nil when the input needs no gradient); writes weightSums[d] = Σ_rows dy·x̂ and
    /// biasSums[d] = Σ_rows dy, which the caller adds into the parameters' gradients.
    public func backward(x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
                         mean: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
                         weightSums: UnsafeMutablePointer<Float>, biasSums: UnsafeMutablePointer<Float>) {
        weightSums.update(repeating: 0, count: width)
        biasSums.update(repeating: 0, count: width)
        ScratchBuffers.withBuffer(count: 2 * width) { scratch in
            let (normalized, scaledGradient) = (scratch, scratch + width)
            for row in 0..<rows {
                let base = row * width
                var gradientSum: Float = 0, gradientDot: Float = 0
                for d in 0..<width {
                    normalized[d] = (x[base + d] - mean[row]) * inverseDeviation[row]
                    scaledGradient[d] = dy[base + d] * (weight?[d] ?? 1)
                    gradientSum += scaledGradient[d]; gradientDot += scaledGradient[d] * normalized[d]
                    weightSums[d] += dy[base + d] * normalized[d]; biasSums[d] += dy[base + d]
                }
                guard let dx else { continue }
                let factor = inverseDeviation[row] / Float(width)
                for d in 0..<width {
                    dx[base + d] = factor * (Float(width) * scaledGradient[d] - gradientSum - normalized[d] * gradientDot)
                }
            }
        }
    }
}
