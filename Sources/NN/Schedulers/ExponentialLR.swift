/// Multiplies the learning rate by `gamma` every epoch (`torch.optim.lr_scheduler.ExponentialLR`).
public final class ExponentialLR: LRScheduler {
    public let optimizer: any Optimizer
    public var lastEpoch = 0
    public let gamma: Double

    public init(_ optimizer: any Optimizer, gamma: Double) {
        self.optimizer = optimizer
        self.gamma = gamma
    }

    public func learningRate(atEpoch epoch: Int, current: Double) -> Double {
        current * gamma
    }
}
