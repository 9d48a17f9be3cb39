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

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler {
        let (stepSize, gamma) = (try arguments.integer("step_size"), try arguments.real("gamma"))
        return try arguments.construct { () throws(OptimizerError) in try StepLR(optimizer, stepSize: stepSize, gamma: gamma) }
    }
}

/// `torch.optim.lr_scheduler.ExponentialLR`: multiplies lr by gamma every epoch.
struct ExponentialLRDefinition: BuildableScheduler, ExportableComponent {
    let typeName = "ExponentialLR"
    let summary = "multiplies lr by gamma every epoch"
    let arguments = [ArgumentSpec("gamma", .real(.positive), "decay factor")]

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler {
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

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler {
        let (tMax, etaMin) = (try arguments.integer("T_max"), try arguments.real("eta_min"))
        return try arguments.construct { () throws(OptimizerError) in try CosineAnnealingLR(optimizer, tMax: tMax, etaMin: etaMin) }
    }
}

/// `torch.optim.lr_scheduler.LinearLR`: scales lr by a factor moving linearly from start_factor to end_factor (a warm-up).
struct LinearLRDefinition: BuildableScheduler, ExportableComponent {
    let typeName = "LinearLR"
    let summary = "scales lr by a factor moving linearly from start_factor to end_factor over total_iters epochs"
    let arguments = [
        ArgumentSpec("start_factor", .real(.positive), default: .real(1.0 / 3), "the factor of the first epoch, in (0, 1]"),
        ArgumentSpec("end_factor", .real(.closedUnit), default: .real(1), "the factor from epoch total_iters on"),
        ArgumentSpec("total_iters", .integer(.nonNegative), default: .integer(5), "epochs until end_factor is reached"),
    ]

    /// PyTorch's rule: start_factor is at most 1.
    func problems(_ arguments: Arguments) -> [ArgumentProblem] {
        guard let start = arguments.real("start_factor"), start > 1 else { return [] }
        return [ArgumentProblem("LinearLR start_factor must be in (0, 1], not \(start)", argument: "start_factor", hint: nil)]
    }

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler {
        let (start, end) = (try arguments.real("start_factor"), try arguments.real("end_factor"))
        let totalIters = try arguments.integer("total_iters")
        return try arguments.construct { () throws(OptimizerError) in
            try LinearLR(optimizer, startFactor: start, endFactor: end, totalIters: totalIters)
        }
    }
}
