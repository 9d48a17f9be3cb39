/// Multiplies the learning rate by `factor` once the metric has not improved for more than
/// `patience` epochs (`torch.optim.lr_scheduler.ReduceLROnPlateau`), then waits `cooldown` epochs
/// before counting again. "Improved" is, with `threshold` t: below best·(1 − t) (min, rel),
/// below best − t (min, abs), above best·(1 + t) (max, rel), above best + t (max, abs). The rate never
/// goes below `minLR`, and a reduction smaller than `eps` is skipped.
///
/// Only `step(metric:)` changes the rate; `step()` without a metric counts the epoch and keeps it.
public final class ReduceLROnPlateau: LRScheduler {
    public enum Mode: String, Sendable { case min, max }
    public enum ThresholdMode: String, Sendable { case rel, abs }

    public let optimizer: any Optimizer
    public var lastEpoch = 0
    public let mode: Mode
    public let factor: Double
    public let patience: Int
    public let threshold: Double
    public let thresholdMode: ThresholdMode
    public let cooldown: Int
    public let minLR: Double
    public let eps: Double
    /// The best metric so far (±infinity before the first).
    public private(set) var best: Double
    public private(set) var badEpochs = 0
    public private(set) var cooldownCounter = 0

    public init(_ optimizer: any Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0, minLR: Double = 0,
                eps: Double = 1e-8) throws(OptimizerError) {
        try require(factor < 1, "Factor should be < 1.0.")
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLR = minLR
        self.eps = eps
        self.best = mode == .min ? .infinity : -.infinity
    }

    public func learningRate(atEpoch epoch: Int, current: Double) -> Double { current }

    public func step(metric: Double) {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            badEpochs = 0
        }
        if badEpochs > patience {
            let old = optimizer.learningRate, new = max(old * factor, minLR)
            if old - new > eps { optimizer.learningRate = new }
            cooldownCounter = cooldown
            badEpochs = 0
        }
    }

    private func isBetter(_ value: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .rel): value < best * (1 - threshold)
        case (.min, .abs): value < best - threshold
        case (.max, .rel): value > best * (threshold + 1)
        case (.max, .abs): value > best + threshold
        }
    }

    public var checkpointState: [String: Double] {
        ["best": best, "num_bad_epochs": Double(badEpochs), "cooldown_counter": Double(cooldownCounter)]
    }

    public func restore(checkpointState state: [String: Double]) throws(OptimizerError) {
        guard Set(state.keys) == ["best", "num_bad_epochs", "cooldown_counter"],
              let bad = Int(exactly: state["num_bad_epochs"]!), bad >= 0,
              let counter = Int(exactly: state["cooldown_counter"]!), counter >= 0, !state["best"]!.isNaN
        else {
            throw .invalidState("ReduceLROnPlateau state must be best, num_bad_epochs and cooldown_counter (counts ≥ 0), got \(state.sorted { $0.key < $1.key })")
        }
        best = state["best"]!
        badEpochs = bad
        cooldownCounter = counter
    }
}
