import NN
import NNSpec

/// `torch.optim.lr_scheduler.SequentialLR`: the `schedulers` one after another, switching at the
/// `milestones` epochs (a warm-up, then a decay). Each child is written as `train: scheduler:` is.
struct SequentialLRDefinition: BuildableScheduler, ExportableComponent {
    let typeName = "SequentialLR"
    let summary = "runs schedulers one after another, switching at the milestone epochs (warm-up, then decay)"
    let arguments = [
        ArgumentSpec("milestones", .integers(.positive), "the epochs at which the next scheduler takes over, increasing; one fewer than the schedulers"),
    ]
    let nestedComponents: NestedComponents? = NestedComponents(
        "schedulers", "the schedulers in order, each a type name or a mapping with type (not ReduceLROnPlateau, OneCycleLR, SequentialLR)")

    /// Why a child cannot run inside SequentialLR: PyTorch refuses ReduceLROnPlateau; OneCycleLR
    /// steps every batch and SequentialLR once per epoch; a LinearLR after a milestone with
    /// total_iters 0 makes PyTorch divide by zero.
    func refusal(ofNested component: ResolvedComponent, at index: Int) -> ArgumentProblem? {
        switch component.typeName {
        case "ReduceLROnPlateau":
            return ArgumentProblem("SequentialLR does not support ReduceLROnPlateau (it needs the loss when stepped), as in PyTorch")
        case "OneCycleLR":
            return ArgumentProblem("SequentialLR steps once per epoch, but OneCycleLR steps after every batch",
                                   hint: "use OneCycleLR alone as the scheduler; it already warms up and decays")
        case "SequentialLR":
            return ArgumentProblem("SequentialLR inside SequentialLR is not supported", hint: "list all the schedulers in one SequentialLR")
        case "LinearLR" where index > 0 && component.arguments.integer("total_iters") == 0:
            return ArgumentProblem("a LinearLR after a milestone needs total_iters of at least 1 (PyTorch divides by total_iters there)")
        default:
            return nil
        }
    }

    /// PyTorch's rule: one milestone fewer than schedulers; and increasing milestones (PyTorch
    /// bisects them).
    func problems(_ arguments: Arguments, nested: [ResolvedComponent]) -> [ArgumentProblem] {
        guard let milestones = arguments.integers("milestones") else { return [] }
        if milestones.count != nested.count - 1 {
            return [ArgumentProblem(
                "SequentialLR needs one milestone fewer than schedulers, but has \(nested.count) schedulers and \(milestones.count) milestones",
                argument: "milestones", hint: "milestone i is the epoch at which scheduler i + 1 takes over")]
        }
        if zip(milestones, milestones.dropFirst()).contains(where: { $0 >= $1 }) {
            return [ArgumentProblem("SequentialLR milestones must be strictly increasing, not \(milestones)", argument: "milestones")]
        }
        return []
    }

    /// Builds the children in order, each from the initial rate (PyTorch's `initial_lr`), then the sequence.
    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler {
        let milestones = try arguments.integers("milestones")
        let initial = optimizer.learningRate
        var children: [any LRScheduler] = []
        for child in arguments.nested {
            optimizer.learningRate = initial
            children.append(try StandardCatalogue.scheduler(for: child, optimizer: optimizer, runSteps: runSteps))
        }
        return try arguments.construct { () throws(OptimizerError) in
            try SequentialLR(optimizer, schedulers: children, milestones: milestones, initialLearningRate: initial)
        }
    }
}
