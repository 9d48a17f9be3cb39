import Foundation

/// Cosine annealing from the base rate to `etaMin` over `tMax` epochs, then back up, periodically
/// (`torch.optim.lr_scheduler.CosineAnnealingLR`), in PyTorch's recursive form:
///
///     η_e = η_min + (η_{e−1} − η_min) · (1 + cos(π·e/T)) / (1 + cos(π·(e−1)/T))
///
/// and, at the epochs where that ratio is 0/0 (e − 1 − T a multiple of 2T),
/// η_e = η_{e−1} + (η_base − η_min) · (1 − cos(π/T)) / 2.
public final class CosineAnnealingLR: LRScheduler {
    public let optimizer: any Optimizer
    /// The optimizer's learning rate when the scheduler was created (`base_lrs[0]`).
    public let baseLearningRate: Double
    public var lastEpoch = 0
    public let tMax: Int
    public let etaMin: Double

    public init(_ optimizer: any Optimizer, tMax: Int, etaMin: Double = 0) throws(OptimizerError) {
        try require(tMax >= 1, "CosineAnnealingLR T_max must be at least 1, got \(tMax)")
        self.optimizer = optimizer
        self.baseLearningRate = optimizer.learningRate
        self.tMax = tMax
        self.etaMin = etaMin
    }

    public func learningRate(atEpoch epoch: Int, current: Double) -> Double {
        let period = Double(tMax)
        if (epoch - 1 - tMax) % (2 * tMax) == 0 {
            return current + (baseLearningRate - etaMin) * (1 - cos(Double.pi / period)) / 2
        }
        return (1 + cos(Double.pi * Double(epoch) / period)) / (1 + cos(Double.pi * Double(epoch - 1) / period))
            * (current - etaMin) + etaMin
    }
}
