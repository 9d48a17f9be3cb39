import NNTensor

/// A LayerNorm over planned buffers, through the `LayerNormRows` loops of autograd's `layerNorm`.
/// input [*, normalized_shape…] → output of the same shape; weight and bias of normalized_shape (or none).
struct PlannedLayerNorm: PlannedLayer {
    let rows: LayerNormRows
    let weight: GradientSlot?, bias: GradientSlot?
    /// The row statistics of the last forward pass [R], and the gradient sums of the backward pass [D] each.
    let mean: UnsafeMutablePointer<Float>, inverseDeviation: UnsafeMutablePointer<Float>
    let weightSums: UnsafeMutablePointer<Float>, biasSums: UnsafeMutablePointer<Float>

    /// `layer` on `input`, which its forward pass accepted.
    init(_ layer: LayerNorm, input: [Int], memory: PlanMemory) {
        let width = layer.normalizedShape.elementCount
        rows = LayerNormRows(rows: input.elementCount / width, width: width, eps: Float(layer.eps))
        weight = layer.weight.map(GradientSlot.init)
        bias = layer.bias.map(GradientSlot.init)
        (mean, inverseDeviation) = (memory.floats(rows.rows), memory.floats(rows.rows))
        (weightSums, biasSums) = (memory.floats(width), memory.floats(width))
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        weight.withValueIfPresent { w in
            bias.withValueIfPresent { b in rows.forward(x: input, weight: w, bias: b, y: output, mean: mean, inverseDeviation: inverseDeviation) }
        }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        weight.withValueIfPresent { w in
            rows.backward(x: input, outputGradient: outputGradient, weight: w, mean: mean, inverseDeviation: inverseDeviation,
                          inputGradient: inputGradient, weightSums: weightSums, biasSums: biasSums)
        }
        weight?.add(weightSums)
        bias?.add(biasSums)
    }
}
