/// Planned layers run one after another inside a composite layer (a multi-head attention's
/// projections, a transformer layer's blocks), each output kept for the backward pass, which runs
/// them in reverse as autograd does. input [the first layer's] → output [the last layer's].
struct PlannedChain: PlannedLayer {
    let layers: [any PlannedLayer]
    /// The outputs of every layer but the last, whose output is the chain's.
    let outputs: [UnsafeMutablePointer<Float>]
    /// The gradients of those outputs, in two buffers used in turn.
    let gradients: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)

    /// `layers` with their output shapes, in order; none adds into its input's gradient.
    init(_ layers: [(layer: any PlannedLayer, output: [Int])], memory: PlanMemory) {
        precondition(!layers.isEmpty && layers.allSatisfy { !$0.layer.addsIntoInputGradient }, "a chain of layers that write their input gradients")
        self.layers = layers.map(\.layer)
        let inner = layers.dropLast().map { $0.output.elementCount }
        outputs = inner.map(memory.floats)
        let largest = inner.max() ?? 0
        gradients = (memory.floats(largest), memory.floats(largest))
    }

    /// The output of layer `index`.
    private func output(_ index: Int, last: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        index < outputs.count ? outputs[index] : last
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        var x = input
        for (index, layer) in layers.enumerated() {
            let y = self.output(index, last: output)
            layer.forward(input: x, output: y)
            x = UnsafePointer(y)
        }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        var dy = outputGradient, (free, other) = gradients
        for index in layers.indices.reversed() {
            let x = index > 0 ? UnsafePointer(outputs[index - 1]) : input
            let y = UnsafePointer(self.output(index, last: UnsafeMutablePointer(mutating: output)))
            layers[index].backward(input: x, output: y, outputGradient: dy, inputGradient: index > 0 ? free : inputGradient)
            dy = UnsafePointer(free)
            (free, other) = (other, free)
        }
    }
}
