/// One layer of a `TrainingPlan`, working over buffers the plan allocated for one batch size.
/// input [N, in…] → output [N, out…]; the gradients have the shapes of what they differentiate.
protocol PlannedLayer {
    /// Writes the output (every element) from the input; saves what `backward` needs.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>)
    /// Adds the parameters' gradients and, when `inputGradient` is given, its contribution to the
    /// input's gradient, from the input and output of the last `forward` and the output's gradient:
    /// written over every element, or added into them when `addsIntoInputGradient`.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?)
    /// True for a layer whose autograd operation adds into its input's gradient in place (zero-filled
    /// on first use) rather than handing over a new tensor: the plan then zero-fills the first
    /// contribution and lets the layer add a later one where it lies, as autograd does.
    var addsIntoInputGradient: Bool { get }
    /// `backward` into the first contribution to an input gradient of `count` values that holds
    /// nothing yet, by a layer that `addsIntoInputGradient`: as if zero-filled first. A layer that
    /// can write 0 + each value (the same bits) spares the fill.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  firstInputGradient: UnsafeMutablePointer<Float>, count: Int)
    /// Throws autograd's error when the network's input [inputShape] is not one this layer takes
    /// (called before any layer runs, for the layers that read the network's input).
    func checkNetworkInput(_ input: UnsafeBufferPointer<Float>) throws(NNError)
}

extension PlannedLayer {
    var addsIntoInputGradient: Bool { false }
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  firstInputGradient: UnsafeMutablePointer<Float>, count: Int) {
        firstInputGradient.update(repeating: 0, count: count)
        backward(input: input, output: output, outputGradient: outputGradient, inputGradient: firstInputGradient)
    }
    func checkNetworkInput(_ input: UnsafeBufferPointer<Float>) throws(NNError) {}
}
