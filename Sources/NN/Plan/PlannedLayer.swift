/// One layer of a `TrainingPlan`, working over buffers the plan allocated for one batch size.
/// input [N, in…] → output [N, out…]; the gradients have the shapes of what they differentiate.
protocol PlannedLayer {
    /// Writes the output (every element) from the input; saves what `backward` needs.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>)
    /// Adds the parameters' gradients and, when `inputGradient` is given, writes the input's
    /// gradient (every element), from the input and output of the last `forward` and the output's
    /// gradient.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?)
}
