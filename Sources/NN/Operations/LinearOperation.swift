import NNTensor

/// y = x · Wᵀ + b, fused into one SGEMM plus a bias pass (`LinearShape`).
/// input [*, in] (any leading dimensions, flattened to R rows), weight [out, in], bias [out]
/// → output [*, out].
func linear(_ input: Variable, weight: Variable, bias: Variable?) throws(NNError) -> Variable {
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
    guard input.shape.count >= 1, input.shape.last == inFeatures else {
        throw .shapeMismatch("Linear(in_features=\(inFeatures), out_features=\(outFeatures)) expects input [*, \(inFeatures)] but got \(input.shape)")
    }
    let shape = LinearShape(rows: input.value.count / max(inFeatures, 1), inFeatures: inFeatures, outFeatures: outFeatures)
    var output = Tensor(zeros: Array(input.shape.dropLast()) + [outFeatures])
    output.scalars.withUnsafeMutableBufferPointer { y in
        guard y.count > 0 else { return }
        guard inFeatures > 0 else {
            // No products: the bias alone (or the zeros).
            bias?.value.scalars.withUnsafeBufferPointer { b in
                for row in 0..<shape.rows { (y.baseAddress! + row * outFeatures).update(from: b.baseAddress!, count: outFeatures) }
            }
            return
        }
        input.withValue { x in
            weight.withValue { w in bias.withValueIfPresent { b in shape.forward(x: x, w: w, b: b, y: y.baseAddress!) } }
        }
    }
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return record(output, inputs: inputs) { LinearOperation(input: input, weight: weight, bias: bias, shape: shape) }
}

/// dX = dY · W, dW += dYᵀ · X, db += column sums of dY.
private struct LinearOperation: DifferentiableOperation {
    let input: Variable, weight: Variable, bias: Variable?
    let shape: LinearShape
    var inputs: [Variable] { [input, weight] + (bias.map { [$0] } ?? []) }

    func backward(_ outputGradient: Tensor) {
        guard shape.rows > 0, shape.outFeatures > 0 else { return }
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            bias?.accumulateGradient { db in shape.accumulateBiasGradient(dy: dy.baseAddress!, db: db.baseAddress!) }
            guard shape.inFeatures > 0 else { return }
            if input.requiresGrad {
                // Written with beta 0 into fresh storage, handed over as the first contribution.
                input.accumulateGradient(Tensor(shape: input.shape) { dx in
                    weight.value.scalars.withUnsafeBufferPointer { w in
                        shape.inputGradient(w: w.baseAddress!, dy: dy.baseAddress!, dx: dx.baseAddress!)
                    }
                })
            }
            weight.accumulateGradient { dw in
                input.value.scalars.withUnsafeBufferPointer { x in
                    shape.accumulateWeightGradient(x: x.baseAddress!, dy: dy.baseAddress!, dw: dw.baseAddress!)
                }
            }
        }
    }
}
