import NN
import NNSpec

/// `torch.optim.lr_scheduler.StepLR`: multiplies lr by gamma every step_size epochs.
struct StepLRDefinition: BuildableScheduler, ExportableComponent {
    let typeName = "StepLR"
    let summary = "multiplies lr by gamma every step_size epochs"
    let arguments = [
        ArgumentSpec("step_size", .integer(.positive), "epochs between decays"),
        ArgumentSpec("gamma", .real(.positive), default: .real(0.1), "decay factor"),
    ]

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer) throws(BuildError) -> any LRScheduler {
        let (stepSize, gamma) = (try arguments.integer("step_size"), try arguments.real("gamma"))
        return try arguments.construct { () throws(OptimizerError) in try StepLR(optimizer, stepSize: stepSize, gamma: gamma) }
    }
}

/// `torch.optim.lr_scheduler.ExponentialLR`: multiplies lr by gamma every epoch.
struct ExponentialLRDefinition: BuildableScheduler, ExportableComponent {
    let typeName = "ExponentialLR"
    let summary = "multiplies lr by gamma every epoch"
    let arguments = [ArgumentSpec("gamma", .real(.positive), "decay factor")]

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer) throws(BuildError) -> any LRScheduler {
        ExponentialLR(optimizer, gamma: try arguments.real("gamma"))
    }
}

/// `torch.optim.lr_scheduler.CosineAnnealingLR`: anneals lr to eta_min along a half cosine over T_max epochs.
struct CosineAnnealingLRDefinition: BuildableScheduler, ExportableComponent {
    let typeName = "CosineAnnealingLR"
    let summary = "anneals lr to eta_min along a half cosine over T_max epochs"
    let arguments = [
        ArgumentSpec("T_max", .integer(.positive), "epochs of the half cosine"),
        ArgumentSpec("eta_min", .real(.nonNegative), default: .real(0), "the lowest lr"),
    ]

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer) throws(BuildError) -> any LRScheduler {
        let (tMax, etaMin) = (try arguments.integer("T_max"), try arguments.real("eta_min"))
        return try arguments.construct { () throws(OptimizerError) in try CosineAnnealingLR(optimizer, tMax: tMax, etaMin: etaMin) }
    }
}
