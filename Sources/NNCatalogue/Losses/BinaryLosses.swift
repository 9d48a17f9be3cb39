import NN
import NNSpec

/// `nn.BCELoss`: binary cross entropy of probabilities in [0, 1].
struct BCELossDefinition: BuildableLoss, ExportableComponent {
    let typeName = "BCELoss"
    let summary = "binary cross entropy of probabilities in [0, 1]"
    let arguments = [LossArguments.reduction]
    let target = ExpectedTarget.sameShapeAsOutput
    let takesProbabilities = true

    func warning(afterLastLayer lastType: String) -> ArgumentProblem? {
        guard lastType != "Sigmoid" else { return nil }
        return ArgumentProblem(
            "BCELoss expects probabilities in [0, 1], but the network ends in \(lastType), not Sigmoid",
            hint: "use BCEWithLogitsLoss, which applies the sigmoid itself")
    }

    func loss(_ arguments: BuildArguments) throws(BuildError) -> any Loss { BCELoss(reduction: try arguments.reduction()) }
}

/// `nn.BCEWithLogitsLoss`: the sigmoid and binary cross entropy in one numerically stable step.
struct BCEWithLogitsLossDefinition: BuildableLoss, ExportableComponent {
    let typeName = "BCEWithLogitsLoss"
    let summary = "sigmoid + binary cross entropy, numerically stable"
    let arguments = [
        LossArguments.reduction,
        ArgumentSpec("pos_weight", .reals(.nonNegative), default: ArgumentValue.none, "weight of positives per class"),
    ]
    let target = ExpectedTarget.sameShapeAsOutput

    func warning(afterLastLayer lastType: String) -> ArgumentProblem? {
        guard lastType == "Sigmoid" else { return nil }
        return ArgumentProblem(
            "BCEWithLogitsLoss applies the sigmoid itself; the network already ends in Sigmoid",
            hint: "remove the final Sigmoid, or use BCELoss")
    }

    func loss(_ arguments: BuildArguments) throws(BuildError) -> any Loss {
        BCEWithLogitsLoss(reduction: try arguments.reduction(), posWeight: try arguments.optionalVector("pos_weight"))
    }
}
