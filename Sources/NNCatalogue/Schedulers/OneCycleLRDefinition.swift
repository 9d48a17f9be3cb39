import NN
import NNSpec

/// `torch.optim.lr_scheduler.OneCycleLR`: the 1cycle policy, stepped after every optimizer step.
/// total_steps defaults to the run's optimizer steps (epochs × batches per epoch, or train.steps).
struct OneCycleLRDefinition: BuildableScheduler, ExportableComponent {
    let typeName = "OneCycleLR"
    let summary = "1cycle: lr up to max_lr and down again over the run, momentum the opposite way; steps every batch"
    let arguments = [
        ArgumentSpec("max_lr", .real(.positive), "the highest lr"),
        ArgumentSpec("total_steps", .integer(.positive), default: ArgumentValue.none, "steps of the cycle (default: the run's optimizer steps)"),
        ArgumentSpec("pct_start", .real(.closedUnit), default: .real(0.3), "fraction of the steps spent raising lr"),
        ArgumentSpec("anneal_strategy", .choice(["cos", "linear"]), default: .text("cos"), "the curve between the phases' values"),
        ArgumentSpec("cycle_momentum", .boolean, default: .boolean(true), "cycle momentum (SGD, RMSprop) or beta1 (Adam, AdamW, NAdam, RAdam) inversely"),
        ArgumentSpec("base_momentum", .real(.nonNegative), default: .real(0.85), "momentum at max_lr"),
        ArgumentSpec("max_momentum", .real(.nonNegative), default: .real(0.95), "momentum at the start and end"),
        ArgumentSpec("div_factor", .real(.positive), default: .real(25), "the initial lr is max_lr / div_factor"),
        ArgumentSpec("final_div_factor", .real(.positive), default: .real(1e4), "the final lr is the initial lr / final_div_factor"),
        ArgumentSpec("three_phase", .boolean, default: .boolean(false), "back to the initial lr before the final decrease"),
    ]

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler {
        let totalSteps = try arguments.optionalInteger("total_steps") ?? runSteps
        guard totalSteps >= runSteps else {
            throw arguments.failure("total_steps \(totalSteps) is fewer than the run's \(runSteps) optimizer steps; leave it out to use the run's")
        }
        guard let annealing = OneCycleLR.Annealing(rawValue: try arguments.text("anneal_strategy")) else {
            throw arguments.failure("anneal_strategy must be 'cos' or 'linear'")
        }
        let (maxLR, pctStart, cycle) = (try arguments.real("max_lr"), try arguments.real("pct_start"), try arguments.boolean("cycle_momentum"))
        let (base, maximum) = (try arguments.real("base_momentum"), try arguments.real("max_momentum"))
        let (divFactor, finalDivFactor) = (try arguments.real("div_factor"), try arguments.real("final_div_factor"))
        let threePhase = try arguments.boolean("three_phase")
        return try arguments.construct { () throws(OptimizerError) in
            try OneCycleLR(optimizer, maxLR: maxLR, totalSteps: totalSteps, pctStart: pctStart, annealing: annealing,
                           cycleMomentum: cycle, baseMomentum: base, maxMomentum: maximum, divFactor: divFactor,
                           finalDivFactor: finalDivFactor, threePhase: threePhase)
        }
    }
}

extension OneCycleLRDefinition {
    /// Stepped after every optimizer step; `total_steps: None` becomes the steps train.py runs.
    var pytorchClass: PyTorchClass {
        var pytorchClass = PyTorchClass.torch("torch.optim.lr_scheduler." + typeName)
        pytorchClass.stepsPerBatch = true
        pytorchClass.runStepsArgument = "total_steps"
        return pytorchClass
    }
}
