import NNTensor

/// Layer normalisation over the trailing D elements of each row: input [*, D…] viewed as [R, D];
/// y = (x − mean[r]) / √(var[r] + eps) · weight[d] + bias[d]. weight, bias of D elements or nil.
func layerNorm(_ input: Variable, normalizedCount: Int, weight: Variable?, bias: Variable?, eps: Float) -> Variable {
    let rows = normalizedCount > 0 ? input.value.count / normalizedCount : 0
    var mean = [Float](repeating: 0, count: rows), variance = [Float](repeating: 0, count: rows)
    input.value.scalars.withUnsafeBufferPointer { x in
        guard rows > 0 else { return }
        axisMeanAndVariance(outer: 1, size: rows, inner: normalizedCount, input: x.baseAddress!, mean: &mean, variance: &variance)
    }
    let inverseDeviation = variance.map { 1 / ($0 + eps).squareRoot() }
    let scale = weight?.value.scalars, shift = bias?.value.scalars
    let output = Tensor(shape: input.shape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                let base = row * normalizedCount
                for d in 0..<normalizedCount {
                    var value = (x[base + d] - mean[row]) * inverseDeviation[row]
                    if let scale { value *= scale[d] }
                    if let shift { value += shift[d] }
                    y[base + d] = value
                }
            }
        }
    }
    let inputs = [input] + [weight, bias].compactMap { $0 }
    return record(output, inputs: inputs) {
        LayerNormOperation(input: input, weight: weight, bias: bias, normalizedCount: normalizedCount,
                           mean: mean, inverseDeviation: inverseDeviation)
    }
}

/// Per row, with ĝ = dy·weight: dx = σ⁻¹/D · (D·ĝ − Σĝ − x̂·Σĝ·x̂);
/// dweight[d] += Σ_rows dy·x̂, dbias[d] += Σ_rows dy.
private struct LayerNormOperation: DifferentiableOperation {
    let input: Variable, weight: Variable?, bias: Variable?
    let normalizedCount: Int
    let mean: [Float], inverseDeviation: [Float]
    var inputs: [Variable] { [input] + [weight, bias].compactMap { $0 } }

    func backward(_ outputGradient: Tensor) {
        let rows = mean.count, width = normalizedCount
        var normalized = [Float](repeating: 0, count: width), scaledGradient = [Float](repeating: 0, count: width)
        var weightGradient = [Float](repeating: 0, count: width), biasGradient = [Float](repeating: 0, count: width)
        var inputGradient = input.requiresGrad ? [Float](repeating: 0, count: input.value.count) : []
        let scale = weight?.value.scalars
        input.value.scalars.withUnsafeBufferPointer { x in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                for row in 0..<rows {
                    let base = row * width
                    var gradientSum: Float = 0, gradientDot: Float = 0
                    for d in 0..<width {
                        normalized[d] = (x[base + d] - mean[row]) * inverseDeviation[row]
                        scaledGradient[d] = dy[base + d] * (scale?[d] ?? 1)
                        gradientSum += scaledGradient[d]; gradientDot += scaledGradient[d] * normalized[d]
                        weightGradient[d] += dy[base + d] * normalized[d]; biasGradient[d] += dy[base + d]
                    }
                    guard !inputGradient.isEmpty else { continue }
                    let factor = inverseDeviation[row] / Float(width)
                    for d in 0..<width {
                        inputGradient[base + d] = factor * (Float(width) * scaledGradient[d] - gradientSum - normalized[d] * gradientDot)
                    }
                }
            }
        }
        if !inputGradient.isEmpty { input.accumulateGradient(Tensor(shape: input.shape, scalars: inputGradient)) }
        weight?.accumulateGradient { dw in for d in 0..<width { dw[d] += weightGradient[d] } }
        bias?.accumulateGradient { db in for d in 0..<width { db[d] += biasGradient[d] } }
    }
}
