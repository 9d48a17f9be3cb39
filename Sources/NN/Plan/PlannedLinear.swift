import NNTensor

/// A Linear layer over planned buffers, through the `LinearShape` products autograd's `linear` uses.
/// input [N, …, in] → output [N, …, out]; weight [out, in], bias [out].
struct PlannedLinear: PlannedLayer {
    let shape: LinearShape
    let weight: GradientSlot, bias: GradientSlot?

    init(_ layer: Linear, input: [Int]) {
        self.init(weight: layer.weight, bias: layer.bias, rows: input.elementCount / layer.inFeatures)
    }

    /// The product with `weight` [out, in] and `bias` [out] over `rows` rows (a MultiheadAttention's in_proj).
    init(weight: Variable, bias: Variable?, rows: Int) {
        shape = LinearShape(rows: rows, inFeatures: weight.shape[1], outFeatures: weight.shape[0])
        self.weight = GradientSlot(weight)
        self.bias = bias.map(GradientSlot.init)
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        weight.withValue { w in bias.withValueIfPresent { b in shape.forward(x: input, w: w, b: b, y: output) } }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        bias?.accumulate { db in shape.accumulateBiasGradient(dy: outputGradient, db: db) }
        guard let inputGradient else {
            return weight.accumulateOrWrite { dw, beta in
                shape.accumulateWeightGradient(x: input, dy: outputGradient, dw: dw, beta: beta)
            }
        }
        weight.withValue { w in
            weight.accumulateOrWrite { dw, beta in
                shape.accumulateGradients(x: input, w: w, dy: outputGradient, dw: dw, beta: beta, dx: inputGradient)
            }
        }
    }
}
