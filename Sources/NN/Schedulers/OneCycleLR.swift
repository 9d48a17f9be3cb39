import Foundation

/// The 1cycle policy (`torch.optim.lr_scheduler.OneCycleLR`), stepped after every optimizer step:
/// the rate anneals from max_lr/div_factor up to max_lr over the first pct_start of `totalSteps`,
/// then down to max_lr/(div_factor·final_div_factor) (`threePhase`: back to the initial rate first,
/// then down); with `cycleMomentum` the optimizer's momentum (β1) goes the opposite way between
/// max_momentum and base_momentum. Each value is PyTorch's closed form of the step number; creating
/// the scheduler sets step 0's rate and momentum.
public final class OneCycleLR: LRScheduler {
    public enum Annealing: String, Sendable { case cos, linear }

    /// One phase: from `start` to `end` values, ending at step `endStep` (PyTorch's float arithmetic).
    private struct Phase {
        let endStep: Double
        let startRate: Double, endRate: Double
        let startMomentum: Double, endMomentum: Double
    }

    public let optimizer: any Optimizer
    /// Steps so far (`last_epoch`, which counts optimizer steps here).
    public var lastEpoch = 0
    public var stepsPerBatch: Bool { true }
    public let totalSteps: Int
    public let annealing: Annealing
    /// The optimizer whose momentum is cycled; nil when cycle_momentum is false.
    private let momentumOptimizer: (any CycledMomentum)?
    private let phases: [Phase]

    public init(_ optimizer: any Optimizer, maxLR: Double, totalSteps: Int, pctStart: Double = 0.3,
                annealing: Annealing = .cos, cycleMomentum: Bool = true, baseMomentum: Double = 0.85,
                maxMomentum: Double = 0.95, divFactor: Double = 25, finalDivFactor: Double = 1e4,
                threePhase: Bool = false) throws(OptimizerError) {
        try require(totalSteps > 0, "Expected positive integer total_steps, but got \(totalSteps)")
        try require((0...1).contains(pctStart), "Expected float between 0 and 1 pct_start, but got \(pctStart)")
        let momentumOptimizer = optimizer as? any CycledMomentum
        try require(!cycleMomentum || momentumOptimizer != nil,
                    "optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
        let initial = maxLR / divFactor, minimum = initial / finalDivFactor, total = Double(totalSteps)
        phases = threePhase
            ? [Phase(endStep: pctStart * total - 1, startRate: initial, endRate: maxLR, startMomentum: maxMomentum, endMomentum: baseMomentum),
               Phase(endStep: 2 * pctStart * total - 2, startRate: maxLR, endRate: initial, startMomentum: baseMomentum, endMomentum: maxMomentum),
               Phase(endStep: total - 1, startRate: initial, endRate: minimum, startMomentum: maxMomentum, endMomentum: maxMomentum)]
            : [Phase(endStep: pctStart * total - 1, startRate: initial, endRate: maxLR, startMomentum: maxMomentum, endMomentum: baseMomentum),
               Phase(endStep: total - 1, startRate: maxLR, endRate: minimum, startMomentum: baseMomentum, endMomentum: maxMomentum)]
        var start = 0.0
        for phase in phases {
            // PyTorch divides by the phase's length, so an empty one fails there (ZeroDivisionError).
            try require(phase.endStep != start, "OneCycleLR: pct_start \(pctStart) of \(totalSteps) steps leaves a phase without steps")
            start = phase.endStep
        }
        self.optimizer = optimizer
        self.totalSteps = totalSteps
        self.annealing = annealing
        self.momentumOptimizer = cycleMomentum ? momentumOptimizer : nil
        apply(step: 0)
    }

    public func learningRate(atEpoch epoch: Int, current: Double) -> Double { values(atStep: epoch).rate }

    public func step() {
        lastEpoch += 1
        apply(step: lastEpoch)
    }

    /// The momentum follows the step count, so a restored scheduler sets step `lastEpoch`'s again.
    public func restore(checkpointState state: [String: Double]) throws(OptimizerError) {
        if let name = state.keys.sorted().first { throw .invalidState("OneCycleLR keeps no state '\(name)'") }
        try require(lastEpoch <= totalSteps, "OneCycleLR is at step \(lastEpoch), past its \(totalSteps) total_steps")
        apply(step: lastEpoch)
    }

    /// Sets step `step`'s rate (and momentum).
    private func apply(step: Int) {
        let (rate, momentum) = values(atStep: step)
        optimizer.learningRate = rate
        momentumOptimizer?.cycledMomentum = momentum
    }

    /// PyTorch's `get_lr` at `step`: the phase holding it, annealed by its fraction.
    private func values(atStep step: Int) -> (rate: Double, momentum: Double) {
        var start = 0.0
        var phase = phases[phases.count - 1]
        for candidate in phases.dropLast() {
            if Double(step) <= candidate.endStep {
                phase = candidate
                break
            }
            start = candidate.endStep
        }
        let fraction = (Double(step) - start) / (phase.endStep - start)
        return (anneal(phase.startRate, phase.endRate, fraction), anneal(phase.startMomentum, phase.endMomentum, fraction))
    }

    private func anneal(_ start: Double, _ end: Double, _ fraction: Double) -> Double {
        switch annealing {
        case .cos: end + (start - end) / 2.0 * (cos(Double.pi * fraction) + 1)
        case .linear: (end - start) * fraction + start
        }
    }
}
