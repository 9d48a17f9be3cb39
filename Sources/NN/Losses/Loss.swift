import NNTensor

/// How a loss combines its per-element values, as PyTorch's `reduction`.
public enum Reduction: String, Sendable, CaseIterable {
    /// The mean (for class losses with weights: the weighted mean); output [].
    case mean
    /// The sum; output [].
    case sum
    /// No reduction: one loss per element (per sample for class losses).
    case none
}

/// What a loss compares its input with.
public enum LossTarget: Sendable {
    /// Values of the input's shape (MSELoss, L1Loss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss).
    case values(Tensor)
    /// Class indices, one per sample (and per spatial position): CrossEntropyLoss, NLLLoss.
    case classes([Int])
}

/// A loss function, as a `torch.nn` loss module. Targets are constants: no gradient flows to them.
public protocol Loss: CustomStringConvertible, Sendable {
    /// The loss of `input` against `target`; a scalar [] unless `reduction` is `.none`.
    func callAsFunction(_ input: Variable, _ target: LossTarget) throws(NNError) -> Variable
}

extension Loss {
    /// The loss against target values of the input's shape.
    public func callAsFunction(_ input: Variable, _ target: Tensor) throws(NNError) -> Variable {
        try self(input, .values(target))
    }

    /// The loss against class indices.
    public func callAsFunction(_ input: Variable, classes: [Int]) throws(NNError) -> Variable {
        try self(input, .classes(classes))
    }

    public var description: String { "\(String(describing: type(of: self)))()" }
}

/// Target values of `input`'s shape for loss `name`, or an error naming both shapes.
func valueTarget(_ target: LossTarget, for input: Variable, _ name: String) throws(NNError) -> Tensor {
    try valueTarget(target, inputShape: input.shape, name)
}

/// Target values of `inputShape` for loss `name`, or an error naming both shapes.
func valueTarget(_ target: LossTarget, inputShape: [Int], _ name: String) throws(NNError) -> Tensor {
    guard case .values(let values) = target else {
        throw .invalidArgument("\(name) needs target values of shape \(inputShape), not class indices")
    }
    guard values.shape == inputShape else {
        throw .shapeMismatch("\(name) input has shape \(inputShape) but the target has shape \(values.shape)")
    }
    return values
}

/// Class indices for loss `name`, or an error when given values.
func classTarget(_ target: LossTarget, for input: Variable, _ name: String) throws(NNError) -> [Int] {
    try classTarget(target, inputShape: input.shape, name)
}

/// Class indices for loss `name` on an input of `inputShape`, or an error when given values.
func classTarget(_ target: LossTarget, inputShape: [Int], _ name: String) throws(NNError) -> [Int] {
    guard case .classes(let classes) = target else {
        throw .invalidArgument("\(name) needs class indices as its target, not values (input \(inputShape))")
    }
    return classes
}
