import NNTensor

/// A transformer layer's block with its residual connection, as autograd's `residualBlocks`:
/// y = x + block(x), the block beginning with its norm (norm_first), or y = norm(x + block(x)).
/// The sum is autograd's: x copied, the block's output added. input [*, E] → output [*, E].
struct PlannedResidualBlock: PlannedLayer {
    let block: PlannedChain
    /// The norm after the sum (post-norm); nil with norm_first.
    let normAfter: PlannedLayerNorm?
    let count: Int
    /// The block's output; the sum before the norm after, and its gradient (nil without one).
    let blockOutput: UnsafeMutablePointer<Float>
    let sum: UnsafeMutablePointer<Float>?, sumGradient: UnsafeMutablePointer<Float>?

    init(_ block: PlannedChain, normAfter: PlannedLayerNorm?, count: Int, memory: PlanMemory) {
        (self.block, self.normAfter, self.count) = (block, normAfter, count)
        blockOutput = memory.floats(count)
        (sum, sumGradient) = normAfter == nil ? (nil, nil) : (memory.floats(count), memory.floats(count))
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        block.forward(input: input, output: blockOutput)
        let total = sum ?? output
        total.update(from: input, count: count)
        addAssign(UnsafeMutableBufferPointer(start: total, count: count), UnsafeBufferPointer(start: blockOutput, count: count))
        normAfter?.forward(input: total, output: output)
    }

    /// The sum's gradient reaches the input twice, through the block and directly: their sum
    /// (autograd adds the second contribution to the first; two terms add in either order alike).
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        var dy = outputGradient
        if let normAfter, let sum, let sumGradient {
            normAfter.backward(input: sum, output: output, outputGradient: dy, inputGradient: sumGradient)
            dy = UnsafePointer(sumGradient)
        }
        block.backward(input: input, output: blockOutput, outputGradient: dy, inputGradient: inputGradient)
        guard let inputGradient else { return }
        addAssign(UnsafeMutableBufferPointer(start: inputGradient, count: count), UnsafeBufferPointer(start: dy, count: count))
    }
}
