import NNTensor

/// A differentiable operation recorded in the graph: its inputs and what it saved in the forward
/// pass, and the rule that turns its output's gradient into its inputs' gradients.
///
/// Each operation's forward function and its `backward` live side by side in one file under
/// `Operations/`. An operation holds its inputs, never its output, so no reference cycle forms.
protocol DifferentiableOperation {
    /// The variables the output was computed from, in the order the backward pass visits them.
    var inputs: [Variable] { get }
    /// Adds the gradients of the inputs that require one, given the gradient of the output
    /// (of the output's shape), through `Variable.accumulateGradient`. The backward pass hands the
    /// gradient over (`consuming`): a rule may rewrite its storage in place and pass it on.
    func backward(_ outputGradient: consuming Tensor)
    /// Whether `backward` reads tensors of the forward pass (inputs' values, masks, statistics).
    /// Such an operation is freed by a backward pass without `retainGraph`; one that needs only
    /// shapes (reshape, sum, concatenation, padding) stays, as PyTorch's nodes without saved tensors.
    var savesTensors: Bool { get }
}

extension DifferentiableOperation {
    var savesTensors: Bool { true }
}

/// Gradient recording on or off for the current task (`noGrad` turns it off).
enum GradientRecording {
    @TaskLocal static var isEnabled = true
}

/// Evaluates `body` without recording a graph, as PyTorch's `torch.no_grad()`: every value
/// computed inside is a constant leaf, so inference allocates no backward state.
public func noGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientRecording.$isEnabled.withValue(false, operation: body)
}

/// The result of an operation on `inputs`: a computed variable recording `operation()` when
/// recording is on and an input requires a gradient, else a constant leaf.
func record(_ value: Tensor, inputs: [Variable], _ operation: () -> any DifferentiableOperation) -> Variable {
    isRecorded(inputs) ? Variable(computed: value, operation: operation()) : Variable(value)
}

/// Whether an operation on `inputs` will be recorded (so the forward pass should save what the
/// backward rule needs).
func isRecorded(_ inputs: [Variable]) -> Bool {
    GradientRecording.isEnabled && inputs.contains(where: \.requiresGrad)
}
