import NNTensor

/// A MultiheadAttention's self-attention between its projections, over planned buffers, through
/// the `AttentionShape` loops of autograd's `attention`: queries, keys and values from the same
/// packed rows, the attention weights dropped with masks drawn from the module's generator as
/// autograd draws them. input [*, 3E] (the in_proj product) → output [*, E]; no parameters.
struct PlannedAttention: PlannedLayer {
    let shape: AttentionShape
    /// Its training mode, dropout probability and generator, read at each step.
    let module: MultiheadAttention
    /// The softmax weights P [pairs, Lq, Lk] of the last forward pass.
    let weights: UnsafeMutablePointer<Float>
    /// The dropout multipliers of the last forward pass [pairs, Lq, Lk] (ones in evaluation mode:
    /// the same bits as none); nil without dropout.
    let masks: UnsafeMutableBufferPointer<Float>?
    /// Rows × 3E, the input's element count.
    let count: Int

    init(_ module: MultiheadAttention, shape: AttentionShape, memory: PlanMemory) {
        self.shape = shape
        self.module = module
        let area = shape.pairs * shape.queryLength * shape.keyLength
        weights = memory.floats(area)
        masks = module.dropout > 0 ? UnsafeMutableBufferPointer(start: memory.floats(area), count: area) : nil
        count = shape.batch * shape.queryLength * 3 * shape.embedDim
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        if let masks {
            if module.isTraining {
                drawDropoutMask(probability: Float(module.dropout), generator: &module.generator, into: masks)
            } else {
                masks.update(repeating: 1)
            }
        }
        shape.forward(q: input, kv: input, masks: masks.map { UnsafePointer($0.baseAddress!) }, weights: weights, output: output)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        inputGradient.update(repeating: 0, count: count)
        shape.backward(q: input, kv: input, outputGradient: outputGradient, weights: weights, masks: masks.map { UnsafePointer($0.baseAddress!) },
                       dq: inputGradient, dkv: inputGradient)
    }
}
