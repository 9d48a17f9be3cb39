import NNTensor

/// A LearnedPositionalEmbedding over planned buffers, through the `PositionalAddition` loops of
/// autograd's `addPositions`. input [N, L, D] → output [N, L, D]; weight [max_len, D].
struct PlannedPositionalEmbedding: PlannedLayer {
    let shape: PositionalAddition
    let weight: GradientSlot

    /// `layer` on `input`, which its forward pass accepted.
    init(_ layer: LearnedPositionalEmbedding, input: [Int]) {
        shape = PositionalAddition(batch: input[0], length: input[1], width: input[2])
        weight = GradientSlot(layer.weight)
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        weight.withValue { table in shape.forward(x: input, table: table, y: output) }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        weight.accumulate { dw in shape.accumulateTableGradient(outputGradient: outputGradient, tableGradient: dw) }
        inputGradient?.update(from: outputGradient, count: shape.batch * shape.length * shape.width)
    }
}
