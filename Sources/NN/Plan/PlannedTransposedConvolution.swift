import NNTensor

/// A ConvTranspose2d layer over planned buffers, through the `TransposedConvolution` autograd's
/// `convTranspose2d` runs. input [N, C, H, W] → output [N, OC, OH, OW]; weight [C, OC/groups, KH, KW],
/// bias [OC]. When output_padding ≥ stride pads the input with zeros (`padded`), the padded input and
/// its gradient have buffers of their own, as autograd pads the input first.
struct PlannedTransposedConvolution: PlannedLayer {
    let transposed: TransposedConvolution
    let weight: GradientSlot, bias: GradientSlot?
    /// The padded input's planes and its buffers: the input (its padding zero), its gradient.
    let padded: (planes: PaddedPlanes, input: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>)?

    /// The layer for `input` [N, C, H, W]; autograd's error when its forward pass would refuse it.
    init(_ layer: ConvTranspose2d, input: [Int], memory: PlanMemory) throws(NNError) {
        let padding: (rows: Int, columns: Int)
        (transposed, padding) = try layer.geometry.transposedConvolution(input: input, weight: layer.weight.shape)
        weight = GradientSlot(layer.weight)
        bias = layer.bias.map(GradientSlot.init)
        guard padding != (0, 0) else {
            padded = nil
            return
        }
        let planes = PaddedPlanes(shape: input, rows: padding.rows, columns: padding.columns), count = planes.outputShape.elementCount
        let paddedInput = memory.floats(count)
        paddedInput.initialize(repeating: 0, count: count)
        padded = (planes, paddedInput, memory.floats(count))
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        padded.map { $0.planes.pad(input, into: $0.input) }
        let x = padded.map { UnsafePointer($0.input) } ?? input
        weight.withValue { w in bias.withValueIfPresent { b in transposed.forward(x: x, w: w, b: b, y: output) } }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        bias?.accumulate { db in transposed.accumulateBiasGradient(dy: outputGradient, db: db) }
        let x = padded.map { UnsafePointer($0.input) } ?? input
        weight.accumulate { dw in transposed.accumulateWeightGradient(x: x, dy: outputGradient, dw: dw) }
        guard let inputGradient else { return }
        weight.withValue { w in
            guard let padded else { return transposed.inputGradient(w: w, dy: outputGradient, dx: inputGradient) }
            transposed.inputGradient(w: w, dy: outputGradient, dx: padded.gradient)
            padded.planes.addUnpadded(padded.gradient, into: inputGradient)
        }
    }

    /// Padded, the input's gradient is added from the padded one's, as autograd's padding does.
    var addsIntoInputGradient: Bool { padded != nil }
}
