/// The loops of batch normalisation over an input viewed as [N, C, S] (element (n, c, s) at
/// (n·C + c)·S + s), shared by autograd's `batchNorm` and a `TrainingPlan`. Per-channel buffers
/// (mean, variance, σ⁻¹, weight, bias, sums) have C elements; x, y, dy, dx have N·C·S.
public struct BatchNormShape {
    public let batch: Int, channels: Int, spatial: Int

    /// input [N, C] or [N, C, *].
    public init(input: [Int]) {
        (batch, channels, spatial) = splitAround(input, axis: 1)
    }

    /// σ⁻¹[c] = 1 / √(variance[c] + eps).
    public func inverseDeviations(variance: UnsafePointer<Float>, eps: Float, into inverseDeviation: UnsafeMutablePointer<Float>) {
        for c in 0..<channels { inverseDeviation[c] = 1 / (variance[c] + eps).squareRoot() }
    }

    /// y = (x − mean[c]) · σ⁻¹[c] · weight[c] + bias[c] (weight 1 and bias 0 when nil); y need not
    /// be initialised.
    public func normalize(x: UnsafePointer<Float>, mean: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>,
                          weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        for n in 0..<batch {
            for c in 0..<channels {
                let multiplier = inverseDeviation[c] * (weight?[c] ?? 1), offset = (bias?[c] ?? 0) - mean[c] * multiplier
                let base = (n * channels + c) * spatial
                for s in base..<(base + spatial) { y[s] = x[s] * multiplier + offset }
            }
        }
    }

    /// sums[c] = Σ dy and dots[c] = Σ dy·x̂ over the channel's N·S elements, x̂ = (x − mean[c])·σ⁻¹[c]:
    /// the bias and weight gradients, and the terms of the input gradient.
    public func gradientSums(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                             inverseDeviation: UnsafePointer<Float>, sums: UnsafeMutablePointer<Float>, dots: UnsafeMutablePointer<Float>) {
        sums.update(repeating: 0, count: channels)
        dots.update(repeating: 0, count: channels)
        for n in 0..<batch {
            for c in 0..<channels {
                let base = (n * channels + c) * spatial
                var sum: Float = 0, dot: Float = 0
                for s in base..<(base + spatial) {
                    sum += dy[s]; dot += dy[s] * (x[s] - mean[c])
                }
                sums[c] += sum; dots[c] += dot * inverseDeviation[c]
            }
        }
    }

    /// With batch statistics, per channel over its M = N·S elements:
    /// dx += w·σ⁻¹/M · (M·dy − Σdy − x̂·Σdy·x̂); with running statistics dx += w·σ⁻¹·dy (w 1 when nil).
    public func accumulateInputGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                        inverseDeviation: UnsafePointer<Float>, weight: UnsafePointer<Float>?, sums: UnsafePointer<Float>,
                                        dots: UnsafePointer<Float>, usesBatchStatistics: Bool, dx: UnsafeMutablePointer<Float>) {
        let count = Float(batch * spatial)
        for n in 0..<batch {
            for c in 0..<channels {
                let base = (n * channels + c) * spatial
                let factor = (weight?[c] ?? 1) * inverseDeviation[c]
                if usesBatchStatistics {
                    let meanGradient = sums[c] / count
                    let projection = dots[c] / count * inverseDeviation[c]
                    for s in base..<(base + spatial) {
                        dx[s] += factor * (dy[s] - meanGradient - (x[s] - mean[c]) * projection)
                    }
                } else {
                    for s in base..<(base + spatial) { dx[s] += factor * dy[s] }
                }
            }
        }
    }
}
