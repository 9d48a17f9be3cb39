import NN
import NNTensor
import Testing

/// make_reference.py's SCHEDULERS: `get_last_lr()` after construction and after each of 30 epochs
/// (ReduceLROnPlateau stepped with PLATEAU_METRICS; OneCycleLR's SGD momentum too).
@Suite struct SchedulerGoldenTests {
    @Test(arguments: ["step_lr", "exponential_lr", "cosine_annealing_lr", "cosine_annealing_lr_zero_min",
                      "linear_lr", "linear_lr_decay", "linear_lr_zero_iters",
                      "plateau", "plateau_abs_cooldown_min_lr", "plateau_max_eps",
                      "one_cycle_lr", "one_cycle_lr_linear_three_phase", "one_cycle_lr_no_momentum",
                      "sequential_lr_warmup_exponential", "sequential_lr_warmup_cosine", "sequential_lr_three"])
    func thirtyEpochsOfLearningRatesMatchPyTorch(_ name: String) throws {
        let file = try Reference.load("schedulers.safetensors")
        let config = try ReferenceConfig(file, name)
        let optimizer = try SGD([], lr: try #require(config.double("lr")))
        let scheduler = try Self.scheduler(config, optimizer)
        // ReduceLROnPlateau's metrics; the other schedulers ignore theirs.
        let metrics = file.names.contains("\(name).metric") ? try file.tensor(named: "\(name).metric").scalars.map(Double.init)
            : Array(repeating: Double.nan, count: 30)
        var rates = [Float(scheduler.lastLearningRate)], momenta = [Float(optimizer.momentum)]
        for metric in metrics {
            try optimizer.step()
            scheduler.step(metric: metric)
            rates.append(Float(scheduler.lastLearningRate))
            momenta.append(Float(optimizer.momentum))
        }
        if file.names.contains("\(name).momentum") {
            expectClose(Tensor(shape: [momenta.count], scalars: momenta), try file.tensor(named: "\(name).momentum"), "\(name) momentum")
        }
        #expect(scheduler.lastEpoch == 30)
        expectClose(Tensor(shape: [rates.count], scalars: rates), try file.tensor(named: "\(name).lr"), "\(name) learning rates")
    }

    /// The scheduler of a reference case over `optimizer` (SequentialLR's children built in order,
    /// each from the initial rate, as make_reference.py's `make_scheduler` builds them).
    static func scheduler(_ config: ReferenceConfig, _ optimizer: SGD) throws -> any LRScheduler {
        switch config.type {
        case "StepLR":
            return try StepLR(optimizer, stepSize: try #require(config.int("step_size")), gamma: try #require(config.double("gamma")))
        case "ExponentialLR":
            return ExponentialLR(optimizer, gamma: try #require(config.double("gamma")))
        case "CosineAnnealingLR":
            return try config.double("eta_min").map { try CosineAnnealingLR(optimizer, tMax: try #require(config.int("T_max")), etaMin: $0) }
                ?? CosineAnnealingLR(optimizer, tMax: try #require(config.int("T_max")))
        case "LinearLR":
            return try LinearLR(optimizer, startFactor: config.double("start_factor") ?? 1.0 / 3,
                                endFactor: config.double("end_factor") ?? 1, totalIters: config.int("total_iters") ?? 5)
        case "ReduceLROnPlateau":
            return try ReduceLROnPlateau(
                optimizer, mode: try #require(ReduceLROnPlateau.Mode(rawValue: config.string("mode") ?? "min")),
                factor: config.double("factor") ?? 0.1, patience: config.int("patience") ?? 10,
                threshold: config.double("threshold") ?? 1e-4,
                thresholdMode: try #require(ReduceLROnPlateau.ThresholdMode(rawValue: config.string("threshold_mode") ?? "rel")),
                cooldown: config.int("cooldown") ?? 0, minLR: config.double("min_lr") ?? 0, eps: config.double("eps") ?? 1e-8)
        case "OneCycleLR":
            return try OneCycleLR(
                optimizer, maxLR: try #require(config.double("max_lr")), totalSteps: try #require(config.int("total_steps")),
                pctStart: config.double("pct_start") ?? 0.3,
                annealing: try #require(OneCycleLR.Annealing(rawValue: config.string("anneal_strategy") ?? "cos")),
                cycleMomentum: config.bool("cycle_momentum") ?? true, baseMomentum: config.double("base_momentum") ?? 0.85,
                maxMomentum: config.double("max_momentum") ?? 0.95, divFactor: config.double("div_factor") ?? 25,
                finalDivFactor: config.double("final_div_factor") ?? 1e4, threePhase: config.bool("three_phase") ?? false)
        case "SequentialLR":
            let children = try #require(config.values["schedulers"] as? [[String: Any]])
            let initial = optimizer.learningRate
            let schedulers = try children.map { child in
                optimizer.learningRate = initial
                return try Self.scheduler(ReferenceConfig(values: child), optimizer)
            }
            return try SequentialLR(optimizer, schedulers: schedulers, milestones: try #require(config.ints("milestones")),
                                    initialLearningRate: initial)
        default:
            throw UnknownReferenceType(type: config.type)
        }
    }

    /// A checkpoint keeps SequentialLR's `lastEpoch` and the rate: a new one set to them goes on as
    /// the first, before, at and after each milestone (its children at PyTorch's restored epochs).
    @Test(arguments: [2, 5, 6, 7, 12, 13, 20])
    func sequentialLRResumedAtAnEpochContinuesPyTorchsRates(_ epoch: Int) throws {
        let file = try Reference.load("schedulers.safetensors")
        let config = try ReferenceConfig(file, "sequential_lr_three")
        let expected = try file.tensor(named: "sequential_lr_three.lr").scalars
        let optimizer = try SGD([], lr: try #require(config.double("lr")))
        let scheduler = try Self.scheduler(config, optimizer)
        scheduler.lastEpoch = epoch
        optimizer.learningRate = Double(expected[epoch])
        var rates: [Float] = [Float(scheduler.lastLearningRate)]
        for _ in epoch..<30 {
            scheduler.step()
            rates.append(Float(scheduler.lastLearningRate))
        }
        expectClose(Tensor(shape: [rates.count], scalars: rates),
                    Tensor(shape: [rates.count], scalars: Array(expected[epoch...])), "resumed at epoch \(epoch)")
    }
}

/// A reference case of a scheduler type the tests cannot build.
struct UnknownReferenceType: Error {
    let type: String
}
