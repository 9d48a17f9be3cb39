import NN
import NNSpec

/// `nn.MSELoss`: the mean squared error between the output and targets of its shape.
struct MSELossDefinition: BuildableLoss, ExportableComponent {
    let typeName = "MSELoss"
    let summary = "mean squared error (x − y)²"
    let arguments = [LossArguments.reduction]
    let target = ExpectedTarget.sameShapeAsOutput

    func loss(_ arguments: BuildArguments) throws(BuildError) -> any Loss { MSELoss(reduction: try arguments.reduction()) }
}

/// `nn.L1Loss`: the mean absolute error between the output and targets of its shape.
struct L1LossDefinition: BuildableLoss, ExportableComponent {
    let typeName = "L1Loss"
    let summary = "mean absolute error |x − y|"
    let arguments = [LossArguments.reduction]
    let target = ExpectedTarget.sameShapeAsOutput

    func loss(_ arguments: BuildArguments) throws(BuildError) -> any Loss { L1Loss(reduction: try arguments.reduction()) }
}

/// `nn.SmoothL1Loss`: squared error below `beta`, absolute error above.
struct SmoothL1LossDefinition: BuildableLoss, ExportableComponent {
    let typeName = "SmoothL1Loss"
    let summary = "squared below beta, absolute above"
    let arguments = [
        LossArguments.reduction, ArgumentSpec("beta", .real(.nonNegative), default: .real(1.0), "where the loss turns linear"),
    ]
    let target = ExpectedTarget.sameShapeAsOutput

    func loss(_ arguments: BuildArguments) throws(BuildError) -> any Loss {
        let (reduction, beta) = (try arguments.reduction(), try arguments.real("beta"))
        return try arguments.construct { () throws(NNError) in try SmoothL1Loss(reduction: reduction, beta: beta) }
    }
}
