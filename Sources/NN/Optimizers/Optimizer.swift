import NNTensor

/// What a trainer or a scheduler sees of an optimizer (PyTorch's `torch.optim.Optimizer` with one
/// parameter group).
public protocol Optimizer: AnyObject {
    /// The parameters updated by `step()`, in the order given at construction.
    var parameters: [Variable] { get }
    /// The parameter group's `lr`; schedulers change it between steps.
    var learningRate: Double { get set }
    /// How many times `step()` has run (restored with a checkpoint).
    var stepCount: Int { get set }

    /// Updates every parameter that has a gradient; parameters whose `grad` is nil are skipped and
    /// their state left untouched, as in PyTorch. Throws (changing nothing) if a gradient's shape
    /// differs from its parameter's.
    func step() throws(OptimizerError)
    /// Sets every parameter's gradient to nil (PyTorch's `zero_grad(set_to_none=True)`).
    func zeroGrad()
    /// The per-parameter state as named tensors `"<parameter index>.<buffer>"` with PyTorch's buffer
    /// names (`0.momentum_buffer`, `3.exp_avg`, `3.step` …); parameters not yet updated have none.
    func stateTensors() -> [NamedTensor]
    /// Replaces the per-parameter state with tensors from `stateTensors()`; throws on an unknown
    /// index or buffer, a missing buffer, or a shape that differs from the parameter's. Messages
    /// name a tensor with `namePrefix` before its name, as the user sees it (a checkpoint's `optimizer.`).
    func loadStateTensors(_ tensors: [NamedTensor], namePrefix: String) throws(OptimizerError)
    /// Throws, naming the first parameter and buffer (with `namePrefix`), unless every parameter has
    /// the state a step leaves (momentum, moment estimates …): for state restored from a run that made steps.
    func requireStateForEveryParameter(namePrefix: String) throws(OptimizerError)
}

extension Optimizer {
    /// `loadStateTensors(_:namePrefix:)` for tensors named as `stateTensors()` names them.
    public func loadStateTensors(_ tensors: [NamedTensor]) throws(OptimizerError) {
        try loadStateTensors(tensors, namePrefix: "")
    }

    /// `requireStateForEveryParameter(namePrefix:)` for state named as `stateTensors()` names it.
    public func requireStateForEveryParameter() throws(OptimizerError) {
        try requireStateForEveryParameter(namePrefix: "")
    }
}

/// A bad optimizer argument or state: the message names the value.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    case gradientShapeMismatch(parameterIndex: Int, parameterShape: [Int], gradientShape: [Int])
    case invalidState(String)

    public var description: String {
        switch self {
        case .invalidArgument(let message), .invalidState(let message):
            message
        case .gradientShapeMismatch(let index, let parameterShape, let gradientShape):
            "parameter \(index) has shape \(parameterShape) but its gradient has shape \(gradientShape)"
        }
    }
}

/// Checks a hyperparameter, throwing PyTorch's message (`Invalid learning rate: -1.0`) when `isValid` fails.
func require(_ isValid: Bool, _ message: @autoclosure () -> String) throws(OptimizerError) {
    guard isValid else { throw .invalidArgument(message()) }
}
