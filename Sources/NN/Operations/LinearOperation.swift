import NNTensor

/// y = x · Wᵀ + b, fused into one SGEMM plus a bias pass.
/// input [*, in] (any leading dimensions, flattened to R rows), weight [out, in], bias [out]
/// → output [*, out].
func linear(_ input: Variable, weight: Variable, bias: Variable?) throws(NNError) -> Variable {
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
    guard input.shape.count >= 1, input.shape.last == inFeatures else {
        throw .shapeMismatch("Linear(in_features=\(inFeatures), out_features=\(outFeatures)) expects input [*, \(inFeatures)] but got \(input.shape)")
    }
    let rows = input.value.count / max(inFeatures, 1)
    var output = Tensor(zeros: Array(input.shape.dropLast()) + [outFeatures])
    output.scalars.withUnsafeMutableBufferPointer { y in
        guard y.count > 0 else { return }
        if let bias {
            bias.value.scalars.withUnsafeBufferPointer { b in
                for row in 0..<rows { (y.baseAddress! + row * outFeatures).update(from: b.baseAddress!, count: outFeatures) }
            }
        }
        guard inFeatures > 0 else { return }
        input.value.scalars.withUnsafeBufferPointer { x in
            weight.value.scalars.withUnsafeBufferPointer { w in
                sgemm(.none, .transposed, m: rows, n: outFeatures, k: inFeatures, alpha: 1,
                      a: x.baseAddress!, lda: inFeatures, b: w.baseAddress!, ldb: inFeatures,
                      beta: bias == nil ? 0 : 1, c: y.baseAddress!, ldc: outFeatures)
            }
        }
    }
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return record(output, inputs: inputs) { LinearOperation(input: input, weight: weight, bias: bias, rows: rows) }
}

/// dX = dY · W, dW += dYᵀ · X, db += column sums of dY.
private struct LinearOperation: DifferentiableOperation {
    let input: Variable, weight: Variable, bias: Variable?
    let rows: Int
    var inputs: [Variable] { [input, weight] + (bias.map { [$0] } ?? []) }

    func backward(_ outputGradient: Tensor) {
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        guard rows > 0, outFeatures > 0 else { return }
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            bias?.accumulateGradient { db in
                accumulateAxisSums(outer: rows, size: outFeatures, inner: 1, input: dy.baseAddress!, sums: db.baseAddress!)
            }
            guard inFeatures > 0 else { return }
            if input.requiresGrad {
                // Written with beta 0 into fresh storage, handed over as the first contribution.
                input.accumulateGradient(Tensor(shape: input.shape) { dx in
                    weight.value.scalars.withUnsafeBufferPointer { w in
                        sgemm(.none, .none, m: rows, n: inFeatures, k: outFeatures, alpha: 1,
                              a: dy.baseAddress!, lda: outFeatures, b: w.baseAddress!, ldb: inFeatures,
                              beta: 0, c: dx.baseAddress!, ldc: inFeatures)
                    }
                })
            }
            weight.accumulateGradient { dw in
                input.value.scalars.withUnsafeBufferPointer { x in
                    sgemm(.transposed, .none, m: outFeatures, n: inFeatures, k: rows, alpha: 1,
                          a: dy.baseAddress!, lda: outFeatures, b: x.baseAddress!, ldb: inFeatures,
                          beta: 1, c: dw.baseAddress!, ldc: inFeatures)
                }
            }
        }
    }
}
