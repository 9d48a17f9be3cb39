import NNTensor

/// Layer normalisation over the trailing D elements of each row (`LayerNormRows`): input [*, D…]
/// viewed as [R, D]; y = (x − mean[r]) / √(var[r] + eps) · weight[d] + bias[d]. weight, bias of D
/// elements or nil.
func layerNorm(_ input: Variable, normalizedCount: Int, weight: Variable?, bias: Variable?, eps: Float) -> Variable {
    let rows = LayerNormRows(rows: normalizedCount > 0 ? input.value.count / normalizedCount : 0, width: normalizedCount, eps: eps)
    var mean = [Float](repeating: 0, count: rows.rows), inverseDeviation = [Float](repeating: 0, count: rows.rows)
    let output = Tensor(shape: input.shape) { y in
        guard y.count > 0 else { return }
        input.withValue { x in
            weight.withValueIfPresent { w in
                bias.withValueIfPresent { b in
                    rows.forward(x: x, weight: w, bias: b, y: y.baseAddress!, mean: &mean, inverseDeviation: &inverseDeviation)
                }
            }
        }
    }
    let inputs = [input] + [weight, bias].compactMap { $0 }
    return record(output, inputs: inputs) {
        LayerNormOperation(input: input, weight: weight, bias: bias, rows: rows, mean: mean, inverseDeviation: inverseDeviation)
    }
}

/// `LayerNormRows.backward`: dx handed over as a new tensor, the weight and bias sums added into their gradients.
private struct LayerNormOperation: DifferentiableOperation {
    let input: Variable, weight: Variable?, bias: Variable?
    let rows: LayerNormRows
    let mean: [Float], inverseDeviation: [Float]
    var inputs: [Variable] { [input] + [weight, bias].compactMap { $0 } }

    func backward(_ outputGradient: Tensor) {
        var weightSums = [Float](repeating: 0, count: rows.width), biasSums = [Float](repeating: 0, count: rows.width)
        var inputGradient = [Float](repeating: 0, count: input.requiresGrad ? input.value.count : 0)
        if rows.rows > 0 {
            input.withValue { x in
                outputGradient.scalars.withUnsafeBufferPointer { dy in
                    weight.withValueIfPresent { w in
                        inputGradient.withUnsafeMutableBufferPointer { dx in
                            rows.backward(x: x, outputGradient: dy.baseAddress!, weight: w, mean: mean, inverseDeviation: inverseDeviation,
                                          inputGradient: input.requiresGrad ? dx.baseAddress : nil, weightSums: &weightSums, biasSums: &biasSums)
                        }
                    }
                }
            }
        }
        if input.requiresGrad { input.accumulateGradient(Tensor(shape: input.shape, scalars: inputGradient)) }
        weight?.accumulateGradient { dw in weightSums.withUnsafeBufferPointer { addAssign(dw, $0) } }
        bias?.accumulateGradient { db in biasSums.withUnsafeBufferPointer { addAssign(db, $0) } }
    }
}
