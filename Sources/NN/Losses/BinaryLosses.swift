import NNTensor

/// Binary cross entropy on probabilities, ℓ = −(y·log x + (1 − y)·log(1 − x)) with each log
/// clamped at −100, as `nn.BCELoss`. input [*] and target [*], both in [0, 1] (checked, as PyTorch does).
public struct BCELoss: Loss {
    public var reduction: Reduction
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    public func callAsFunction(_ input: Variable, _ target: LossTarget) throws(NNError) -> Variable {
        let values = try valueTarget(target, for: input, "BCELoss")
        if let bad = input.value.scalars.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw .invalidArgument("BCELoss: all elements of input should be between 0 and 1, but one is \(bad) (input \(input.shape))")
        }
        if let bad = values.scalars.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw .invalidArgument("BCELoss: all elements of target should be between 0 and 1, but one is \(bad) (target \(values.shape))")
        }
        return pointwiseLoss(input, target: values, .binaryCrossEntropy, reduction: reduction)
    }
}

/// Sigmoid + binary cross entropy in one numerically stable step, as `nn.BCEWithLogitsLoss`:
/// ℓ = (1 − y)·x + (1 + (p − 1)·y)·log(1 + e⁻ˣ). input [*, C] logits, target [*, C];
/// `posWeight` [C] weights the positive term per class (the last dimension).
public struct BCEWithLogitsLoss: Loss {
    public var reduction: Reduction
    public var posWeight: Tensor?

    public init(reduction: Reduction = .mean, posWeight: Tensor? = nil) {
        self.reduction = reduction
        self.posWeight = posWeight
    }

    public func callAsFunction(_ input: Variable, _ target: LossTarget) throws(NNError) -> Variable {
        let values = try valueTarget(target, for: input, "BCEWithLogitsLoss")
        if let posWeight, posWeight.count != (input.shape.last ?? 1) {
            throw .shapeMismatch("BCEWithLogitsLoss: pos_weight has shape \(posWeight.shape) but must match the last dimension of input \(input.shape)")
        }
        return pointwiseLoss(input, target: values, .binaryCrossEntropyWithLogits(positiveWeight: posWeight?.scalars),
                             reduction: reduction)
    }
}
