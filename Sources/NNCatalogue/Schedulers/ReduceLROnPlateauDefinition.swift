import NN
import NNSpec

/// `torch.optim.lr_scheduler.ReduceLROnPlateau`: multiplies lr by factor when the epoch's loss stops
/// improving. The trainer gives it the test loss when the spec has a test split, else the epoch's
/// mean training loss.
struct ReduceLROnPlateauDefinition: BuildableScheduler, ExportableComponent {
    let typeName = "ReduceLROnPlateau"
    let summary = "multiplies lr by factor when the test loss (else the training loss) stops improving"
    let arguments = [
        ArgumentSpec("mode", .choice(["min", "max"]), default: .text("min"), "'min': lower is better; 'max': higher is"),
        ArgumentSpec("factor", .real(.nonNegative), default: .real(0.1), "lr multiplier on a plateau, below 1"),
        ArgumentSpec("patience", .integer(.nonNegative), default: .integer(10), "epochs without improvement before a reduction"),
        ArgumentSpec("threshold", .real(.nonNegative), default: .real(1e-4), "how much better counts as an improvement"),
        ArgumentSpec("threshold_mode", .choice(["rel", "abs"]), default: .text("rel"), "threshold relative to the best, or absolute"),
        ArgumentSpec("cooldown", .integer(.nonNegative), default: .integer(0), "epochs after a reduction before counting again"),
        ArgumentSpec("min_lr", .real(.nonNegative), default: .real(0), "the lowest lr"),
        ArgumentSpec("eps", .real(.nonNegative), default: .real(1e-8), "reductions smaller than this are skipped"),
    ]

    /// PyTorch's rule: factor below 1.
    func problems(_ arguments: Arguments) -> [ArgumentProblem] {
        guard let factor = arguments.real("factor"), factor >= 1 else { return [] }
        return [ArgumentProblem("ReduceLROnPlateau factor must be below 1, not \(factor)", argument: "factor",
                                hint: "write `factor: 0.1` to divide lr by 10 on a plateau")]
    }

    func scheduler(_ arguments: BuildArguments, optimizer: any Optimizer, runSteps: Int) throws(BuildError) -> any LRScheduler {
        guard let mode = ReduceLROnPlateau.Mode(rawValue: try arguments.text("mode")),
              let thresholdMode = ReduceLROnPlateau.ThresholdMode(rawValue: try arguments.text("threshold_mode"))
        else { throw arguments.failure("mode must be 'min' or 'max' and threshold_mode 'rel' or 'abs'") }
        let (factor, patience) = (try arguments.real("factor"), try arguments.integer("patience"))
        let (threshold, cooldown) = (try arguments.real("threshold"), try arguments.integer("cooldown"))
        let (minLR, eps) = (try arguments.real("min_lr"), try arguments.real("eps"))
        return try arguments.construct { () throws(OptimizerError) in
            try ReduceLROnPlateau(optimizer, mode: mode, factor: factor, patience: patience, threshold: threshold,
                                  thresholdMode: thresholdMode, cooldown: cooldown, minLR: minLR, eps: eps)
        }
    }
}
