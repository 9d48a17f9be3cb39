import NN
import NNTensor
import Testing

/// make_reference.py's SCHEDULERS: `get_last_lr()` after construction and after each of 30 epochs.
@Suite struct SchedulerGoldenTests {
    @Test(arguments: ["step_lr", "exponential_lr", "cosine_annealing_lr", "cosine_annealing_lr_zero_min",
                      "linear_lr", "linear_lr_decay", "linear_lr_zero_iters"])
    func thirtyEpochsOfLearningRatesMatchPyTorch(_ name: String) throws {
        let file = try Reference.load("schedulers.safetensors")
        let config = try ReferenceConfig(file, name)
        let optimizer = try SGD([], lr: try #require(config.double("lr")))
        let scheduler: any LRScheduler
        switch config.type {
        case "StepLR":
            scheduler = try StepLR(optimizer, stepSize: try #require(config.int("step_size")), gamma: try #require(config.double("gamma")))
        case "ExponentialLR":
            scheduler = ExponentialLR(optimizer, gamma: try #require(config.double("gamma")))
        case "CosineAnnealingLR":
            scheduler = try config.double("eta_min").map { try CosineAnnealingLR(optimizer, tMax: try #require(config.int("T_max")), etaMin: $0) }
                ?? CosineAnnealingLR(optimizer, tMax: try #require(config.int("T_max")))
        case "LinearLR":
            scheduler = try LinearLR(optimizer, startFactor: config.double("start_factor") ?? 1.0 / 3,
                                     endFactor: config.double("end_factor") ?? 1, totalIters: config.int("total_iters") ?? 5)
        default:
            Issue.record("no scheduler \(config.type)")
            return
        }
        var rates = [Float(scheduler.lastLearningRate)]
        for _ in 0..<30 {
            try optimizer.step()
            scheduler.step()
            rates.append(Float(scheduler.lastLearningRate))
        }
        #expect(scheduler.lastEpoch == 30)
        expectClose(Tensor(shape: [rates.count], scalars: rates), try file.tensor(named: "\(name).lr"), "\(name) learning rates")
    }
}
