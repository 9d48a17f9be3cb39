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
    let shape = BatchNormShape(input: input.shape)
    var mean = Tensor(zeros: [shape.channels]), variance = Tensor(zeros: [shape.channels])
    switch statistics {
    case .batch:
        input.value.scalars.withUnsafeBufferPointer { x in
            guard x.count > 0 else { return }
            mean.scalars.withUnsafeMutableBufferPointer { m in
                variance.scalars.withUnsafeMutableBufferPointer { v in
                    axisMeanAndVariance(outer: shape.batch, size: shape.channels, inner: shape.spatial, input: x.baseAddress!,
                                        mean: m.baseAddress!, variance: v.baseAddress!)
                }
            }
        }
    case .running(let runningMean, let runningVariance):
        mean = runningMean; variance = runningVariance
    }
    let inverseDeviation = Tensor(shape: [shape.channels]) { inverse in
        variance.scalars.withUnsafeBufferPointer { v in shape.inverseDeviations(variance: v.baseAddress!, eps: eps, into: inverse.baseAddress!) }
    }
    let usesBatchStatistics = if case .batch = statistics { true } else { false }
    let output = scaledChannels(input, shape: shape, mean: mean, inverseDeviation: inverseDeviation, weight: weight, bias: bias,
                                usesBatchStatistics: usesBatchStatistics)
    return (output, mean, variance)
}

/// y = x·weight[c] + bias[c] over input [N, C, *] (weight [C], bias [C] or nil): GroupNorm's and
/// InstanceNorm's affine step, as batch normalisation's arithmetic and gradients with mean 0 and σ⁻¹ 1.
func channelAffine(_ input: Variable, weight: Variable, bias: Variable?) -> Variable {
    let shape = BatchNormShape(input: input.shape)
    return scaledChannels(input, shape: shape, mean: Tensor(zeros: [shape.channels]),
                          inverseDeviation: Tensor(repeating: 1, shape: [shape.channels]), weight: weight, bias: bias,
                          usesBatchStatistics: false)
}

/// y = (x − mean[c])·σ⁻¹[c]·weight[c] + bias[c], recorded with `BatchNormOperation` (the mean and σ⁻¹
/// depend on x when `usesBatchStatistics`).
private func scaledChannels(_ input: Variable, shape: BatchNormShape, mean: Tensor, inverseDeviation: Tensor, weight: Variable?,
                            bias: Variable?, usesBatchStatistics: Bool) -> Variable {
    let output = Tensor(shape: input.shape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            mean.scalars.withUnsafeBufferPointer { m in
                inverseDeviation.scalars.withUnsafeBufferPointer { inverse in
                    withOptionalValue(weight) { w in
                        withOptionalValue(bias) { b in
                            shape.normalize(x: x.baseAddress!, mean: m.baseAddress!, inverseDeviation: inverse.baseAddress!,
                                            weight: w, bias: b, y: y.baseAddress!)
                        }
                    }
                }
            }
        }
    }
    let inputs = [input] + [weight, bias].compactMap { $0 }
    return record(output, inputs: inputs) {
        BatchNormOperation(input: input, weight: weight, bias: bias, shape: shape, mean: mean, inverseDeviation: inverseDeviation,
                           usesBatchStatistics: usesBatchStatistics)
    }
}

/// Runs `body` with the value of `variable`, or nil.
private func withOptionalValue<Result>(_ variable: Variable?, _ body: (UnsafePointer<Float>?) -> Result) -> Result {
    guard let variable else { return body(nil) }
    return variable.value.scalars.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// The gradients through `BatchNormShape.gradientSums` and `accumulateInputGradient`;
/// dweight[c] += Σ dy·x̂, dbias[c] += Σ dy.
private struct BatchNormOperation: DifferentiableOperation {
    let input: Variable, weight: Variable?, bias: Variable?
    let shape: BatchNormShape
    let mean: Tensor, inverseDeviation: Tensor
    let usesBatchStatistics: Bool
    var inputs: [Variable] { [input] + [weight, bias].compactMap { $0 } }

    func backward(_ outputGradient: Tensor) {
        var sums = [Float](repeating: 0, count: shape.channels), dots = [Float](repeating: 0, count: shape.channels)
        guard outputGradient.count > 0 else {
            // An empty batch: zero gradients.
            input.accumulateGradient { _ in }
            weight?.accumulateGradient { _ in }
            bias?.accumulateGradient { _ in }
            return
        }
        input.value.scalars.withUnsafeBufferPointer { x in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                mean.scalars.withUnsafeBufferPointer { m in
                    inverseDeviation.scalars.withUnsafeBufferPointer { inverse in
                        shape.gradientSums(x: x.baseAddress!, dy: dy.baseAddress!, mean: m.baseAddress!, inverseDeviation: inverse.baseAddress!,
                                           sums: &sums, dots: &dots)
                        input.accumulateGradient { dx in
                            withOptionalValue(weight) { w in
                                shape.accumulateInputGradient(x: x.baseAddress!, dy: dy.baseAddress!, mean: m.baseAddress!,
                                                              inverseDeviation: inverse.baseAddress!, weight: w, sums: sums, dots: dots,
                                                              usesBatchStatistics: usesBatchStatistics, dx: dx.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        weight?.accumulateGradient { dw in dots.withUnsafeBufferPointer { addAssign(dw, $0) } }
        bias?.accumulateGradient { db in sums.withUnsafeBufferPointer { addAssign(db, $0) } }
    }
}
