/// Scales the base rate by a factor going linearly from `startFactor` to `endFactor` over
/// `totalIters` epochs, then keeps it (`torch.optim.lr_scheduler.LinearLR`; a warm-up with the
/// defaults). Creating it sets the optimizer's rate to base·start_factor, as PyTorch's does; each
/// step applies PyTorch's recursive ratio
///
///     η_e = η_{e−1} · (1 + (end − start) / (total_iters·start + (e − 1)·(end − start)))   (e ≤ total_iters)
public final class LinearLR: LRScheduler {
    public let optimizer: any Optimizer
    public var lastEpoch = 0
    public let startFactor: Double
    public let endFactor: Double
    public let totalIters: Int

    public init(_ optimizer: any Optimizer, startFactor: Double = 1.0 / 3, endFactor: Double = 1.0,
                totalIters: Int = 5) throws(OptimizerError) {
        try require(startFactor > 0 && startFactor <= 1,
                    "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        try require(endFactor >= 0 && endFactor <= 1, "Ending multiplicative factor expected to be between 0 and 1.")
        try require(totalIters >= 0, "LinearLR total_iters must be 0 or more, got \(totalIters)")
        self.optimizer = optimizer
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        optimizer.learningRate = startingRate(from: optimizer.learningRate)
    }

    public func startingRate(from rate: Double) -> Double { rate * startFactor }

    public func learningRate(atEpoch epoch: Int, current: Double) -> Double {
        guard epoch <= totalIters else { return current }
        let change = endFactor - startFactor
        return current * (1 + change / (Double(totalIters) * startFactor + Double(epoch - 1) * change))
    }
}
