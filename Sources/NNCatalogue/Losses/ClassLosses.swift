import NN
import NNSpec

/// `nn.CrossEntropyLoss`: log_softmax and the negative log likelihood of [N, C] logits against class
/// indices [N], or of [N, C, d1, …] logits against a class per position [N, d1, …].
struct CrossEntropyLossDefinition: BuildableLoss, ExportableComponent {
    let typeName = "CrossEntropyLoss"
    let summary = "log_softmax + negative log likelihood over [N, C] logits and class indices (or [N, C, d1, …] and [N, d1, …])"
    let arguments = [
        LossArguments.classWeight, LossArguments.ignoreIndex, LossArguments.reduction,
        ArgumentSpec("label_smoothing", .real(.closedUnit), default: .real(0.0), "mass spread over all classes"),
    ]
    let target = ExpectedTarget.classIndices

    func warning(afterLastLayer lastType: String) -> ArgumentProblem? {
        guard lastType == "Softmax" || lastType == "LogSoftmax" else { return nil }
        return ArgumentProblem(
            "CrossEntropyLoss applies log_softmax itself; the network already ends in \(lastType)",
            hint: "remove the final \(lastType), or use NLLLoss after LogSoftmax")
    }

    func loss(_ arguments: BuildArguments) throws(BuildError) -> any Loss {
        let (weight, ignoreIndex) = (try arguments.optionalVector("weight"), try arguments.integer("ignore_index"))
        let (reduction, labelSmoothing) = (try arguments.reduction(), try arguments.real("label_smoothing"))
        return try arguments.construct { () throws(NNError) in
            try CrossEntropyLoss(weight: weight, ignoreIndex: ignoreIndex, reduction: reduction, labelSmoothing: labelSmoothing)
        }
    }
}

/// `nn.NLLLoss`: the negative log likelihood of [N, C] (or [N, C, d1, …]) log-probabilities against class indices.
struct NLLLossDefinition: BuildableLoss, ExportableComponent {
    let typeName = "NLLLoss"
    let summary = "negative log likelihood over [N, C] log-probabilities (or [N, C, d1, …] and a class per position)"
    let arguments = [LossArguments.classWeight, LossArguments.ignoreIndex, LossArguments.reduction]
    let target = ExpectedTarget.classIndices

    func warning(afterLastLayer lastType: String) -> ArgumentProblem? {
        guard lastType != "LogSoftmax" else { return nil }
        return ArgumentProblem(
            "NLLLoss expects log-probabilities, but the network ends in \(lastType), not LogSoftmax",
            hint: "add {type: LogSoftmax, dim: 1} or use CrossEntropyLoss")
    }

    func loss(_ arguments: BuildArguments) throws(BuildError) -> any Loss {
        NLLLoss(
            weight: try arguments.optionalVector("weight"), ignoreIndex: try arguments.integer("ignore_index"),
            reduction: try arguments.reduction())
    }
}
