/// Multiplies the learning rate by `gamma` every `stepSize` epochs (`torch.optim.lr_scheduler.StepLR`).
public final class StepLR: LRScheduler {
    public let optimizer: any Optimizer
    public var lastEpoch = 0
    public let stepSize: Int
    public let gamma: Double

    public init(_ optimizer: any Optimizer, stepSize: Int, gamma: Double = 0.1) throws(OptimizerError) {
        try require(stepSize >= 1, "StepLR step_size must be at least 1, got \(stepSize)")
        self.optimizer = optimizer
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func learningRate(atEpoch epoch: Int, current: Double) -> Double {
        epoch % stepSize == 0 ? current * gamma : current
    }
}
