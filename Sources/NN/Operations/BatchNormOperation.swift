import NNTensor

/// Which mean and variance normalise a batch-norm input.
enum NormalizationStatistics {
    /// The input's own per-channel statistics (training, or no running statistics).
    case batch
    /// Fixed running statistics (evaluation): mean [C], variance [C].
    case running(mean: Tensor, variance: Tensor)
}

/// Batch normalisation over channels: input [N, C, *] viewed as [N, C, S];
/// y = (x − mean[c]) / √(var[c] + eps) · weight[c] + bias[c]. weight, bias [C] or nil.
/// Returns the output and, for `.batch`, the biased batch mean and variance [C] (for running stats).
func batchNorm(_ input: Variable, weight: Variable?, bias: Variable?, statistics: NormalizationStatistics,
               eps: Float) -> (output: Variable, batchMean: Tensor, batchVariance: Tensor) {
    let (batch, channels, spatial) = splitAround(input.shape, axis: 1)
    var mean = Tensor(zeros: [channels]), variance = Tensor(zeros: [channels])
    switch statistics {
    case .batch:
        input.value.scalars.withUnsafeBufferPointer { x in
            guard x.count > 0 else { return }
            mean.scalars.withUnsafeMutableBufferPointer { m in
                variance.scalars.withUnsafeMutableBufferPointer { v in
                    axisMeanAndVariance(outer: batch, size: channels, inner: spatial, input: x.baseAddress!,
                                        mean: m.baseAddress!, variance: v.baseAddress!)
                }
            }
        }
    case .running(let runningMean, let runningVariance):
        mean = runningMean; variance = runningVariance
    }
    let inverseDeviation = variance.scalars.map { 1 / ($0 + eps).squareRoot() }
    let scale = weight?.value.scalars ?? [Float](repeating: 1, count: channels)
    let shift = bias?.value.scalars ?? [Float](repeating: 0, count: channels)
    let output = Tensor(shape: input.shape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            for n in 0..<batch {
                for c in 0..<channels {
                    let multiplier = inverseDeviation[c] * scale[c], offset = shift[c] - mean.scalars[c] * multiplier
                    let base = (n * channels + c) * spatial
                    for s in base..<(base + spatial) { y[s] = x[s] * multiplier + offset }
                }
            }
        }
    }
    let usesBatchStatistics = if case .batch = statistics { true } else { false }
    let inputs = [input] + [weight, bias].compactMap { $0 }
    let result = record(output, inputs: inputs) {
        BatchNormOperation(input: input, weight: weight, bias: bias, mean: mean.scalars,
                           inverseDeviation: inverseDeviation, usesBatchStatistics: usesBatchStatistics)
    }
    return (result, mean, variance)
}

/// With batch statistics, per channel over its M = N·S elements:
/// dx = w·σ⁻¹/M · (M·dy − Σdy − x̂·Σdy·x̂); with running statistics dx = w·σ⁻¹·dy.
/// dweight[c] += Σ dy·x̂, dbias[c] += Σ dy.
private struct BatchNormOperation: DifferentiableOperation {
    let input: Variable, weight: Variable?, bias: Variable?
    let mean: [Float], inverseDeviation: [Float]
    let usesBatchStatistics: Bool
    var inputs: [Variable] { [input] + [weight, bias].compactMap { $0 } }

    func backward(_ outputGradient: Tensor) {
        let (batch, channels, spatial) = splitAround(input.shape, axis: 1)
        let count = Float(batch * spatial)
        var gradientSum = [Float](repeating: 0, count: channels)
        var gradientDotNormalized = [Float](repeating: 0, count: channels)
        input.value.scalars.withUnsafeBufferPointer { x in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                for n in 0..<batch {
                    for c in 0..<channels {
                        let base = (n * channels + c) * spatial
                        var sum: Float = 0, dot: Float = 0
                        for s in base..<(base + spatial) {
                            sum += dy[s]; dot += dy[s] * (x[s] - mean[c])
                        }
                        gradientSum[c] += sum; gradientDotNormalized[c] += dot * inverseDeviation[c]
                    }
                }
                let scale = weight?.value.scalars ?? [Float](repeating: 1, count: channels)
                input.accumulateGradient { dx in
                    for n in 0..<batch {
                        for c in 0..<channels {
                            let base = (n * channels + c) * spatial
                            let factor = scale[c] * inverseDeviation[c]
                            if usesBatchStatistics {
                                let meanGradient = gradientSum[c] / count
                                let projection = gradientDotNormalized[c] / count * inverseDeviation[c]
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
        }
        weight?.accumulateGradient { dw in for c in 0..<channels { dw[c] += gradientDotNormalized[c] } }
        bias?.accumulateGradient { db in for c in 0..<channels { db[c] += gradientSum[c] } }
    }
}
