import NN
import NNCatalogue
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// Every argument of every catalogue optimizer and scheduler reaches what its catalogue entry builds:
/// set to another value than in its type's base, it changes the parameters after two steps (optimizers)
/// or the learning-rate sequence (schedulers). A catalogue argument without a variant here fails.
@Suite struct OptimizerArgumentCoverageTests {
    /// Each optimizer's base arguments (chosen so every variant matters: momentum for dampening,
    /// weight decay for `decoupled_weight_decay`) and one other value per catalogue argument.
    static let optimizerVariants: [String: (base: [String: String], variants: [String: String])] = [
        "SGD": (["lr": "0.1", "momentum": "0.9", "weight_decay": "0.1"],
                ["lr": "0.05", "momentum": "0.5", "dampening": "0.5", "weight_decay": "0.2", "nesterov": "true",
                 "maximize": "true"]),
        "Adam": (["lr": "0.1", "weight_decay": "0.1"],
                 ["lr": "0.05", "betas": "[0.5, 0.9]", "eps": "0.1", "weight_decay": "0.2", "amsgrad": "true",
                  "maximize": "true", "decoupled_weight_decay": "true"]),
        "AdamW": (["lr": "0.1"],
                  ["lr": "0.05", "betas": "[0.5, 0.9]", "eps": "0.1", "weight_decay": "0.2", "amsgrad": "true",
                   "maximize": "true"]),
        "RMSprop": (["lr": "0.1"],
                    ["lr": "0.05", "alpha": "0.5", "eps": "0.1", "weight_decay": "0.2", "momentum": "0.5",
                     "centered": "true", "maximize": "true"]),
        "Adadelta": (["lr": "1"],
                     ["lr": "0.5", "rho": "0.5", "eps": "0.1", "weight_decay": "0.2", "maximize": "true"]),
        "Adagrad": (["lr": "0.1"],
                    ["lr": "0.05", "lr_decay": "0.5", "weight_decay": "0.2", "initial_accumulator_value": "1",
                     "eps": "0.1", "maximize": "true"]),
        "NAdam": (["lr": "0.1", "weight_decay": "0.1"],
                  ["lr": "0.05", "betas": "[0.5, 0.9]", "eps": "0.1", "weight_decay": "0.2", "momentum_decay": "0.5",
                   "decoupled_weight_decay": "true", "maximize": "true"]),
        "RAdam": (["lr": "0.1", "weight_decay": "0.1"],
                  ["lr": "0.05", "betas": "[0.5, 0.5]", "eps": "0.1", "weight_decay": "0.2",
                   "decoupled_weight_decay": "true", "maximize": "true"]),
    ]

    /// Each scheduler's base arguments and one other value per catalogue argument.
    static let schedulerVariants: [String: (base: [String: String], variants: [String: String])] = [
        "StepLR": (["step_size": "2"], ["step_size": "3", "gamma": "0.5"]),
        "ExponentialLR": (["gamma": "0.9"], ["gamma": "0.5"]),
        "CosineAnnealingLR": (["T_max": "4"], ["T_max": "3", "eta_min": "0.01"]),
        "LinearLR": ([:], ["start_factor": "0.5", "end_factor": "0.5", "total_iters": "3"]),
        "OneCycleLR": (["max_lr": "1"],
                       ["max_lr": "2", "total_steps": "10", "pct_start": "0.5", "anneal_strategy": "linear", "div_factor": "5",
                        "final_div_factor": "100", "three_phase": "true", "cycle_momentum": "false", "base_momentum": "0.5",
                        "max_momentum": "0.99"]),
        "ReduceLROnPlateau": (["patience": "1", "threshold": "0.06"],
                              ["mode": "max", "factor": "0.5", "patience": "2", "threshold": "0.2", "threshold_mode": "abs",
                               "cooldown": "2", "min_lr": "0.05", "eps": "0.5"]),
        "SequentialLR": (["schedulers": "[LinearLR, {type: ExponentialLR, gamma: 0.5}]", "milestones": "[2]"],
                         ["milestones": "[3]"]),
    ]

    static let optimizerCases: [(typeName: String, argument: String)] = StandardCatalogue.optimizers.flatMap { definition in
        definition.arguments.map { (definition.typeName, $0.name) }
    }
    static let schedulerCases: [(typeName: String, argument: String)] = StandardCatalogue.schedulers.flatMap { definition in
        definition.arguments.map { (definition.typeName, $0.name) }
    }

    @Test(arguments: optimizerCases)
    func optimizerArgumentChangesTheSteps(typeName: String, argument: String) throws {
        let cases = try #require(Self.optimizerVariants[typeName], "no variants of optimizer \(typeName)")
        let value = try #require(cases.variants[argument], "no variant of \(typeName) \(argument)")
        let base = try parametersAfterTwoSteps(typeName, cases.base)
        let variant = try parametersAfterTwoSteps(typeName, cases.base.merging([argument: value]) { $1 })
        #expect(variant != base, "\(typeName) \(argument): \(value) gives the base's parameters \(base)")
    }

    @Test(arguments: schedulerCases)
    func schedulerArgumentChangesTheRates(typeName: String, argument: String) throws {
        let cases = try #require(Self.schedulerVariants[typeName], "no variants of scheduler \(typeName)")
        let value = try #require(cases.variants[argument], "no variant of \(typeName) \(argument)")
        let base = try learningRates(typeName, cases.base)
        let variant = try learningRates(typeName, cases.base.merging([argument: value]) { $1 })
        #expect(variant != base, "\(typeName) \(argument): \(value) gives the base's rates \(base)")
    }

    /// `{type: T, name: value …}` in flow style.
    private func flow(_ typeName: String, _ arguments: [String: String]) -> String {
        (["{type: \(typeName)"] + arguments.sorted { $0.key < $1.key }.map { ", \($0.key): \($0.value)" }).joined() + "}"
    }

    /// Steps per type where two are too few for every argument to matter: RAdam's adaptive rate (eps,
    /// beta2) enters from step 6 on, once ρₜ > 5.
    static let stepCounts = ["RAdam": 7]

    /// A [3] parameter after two steps (or `stepCounts`) on fixed gradients, the second and later much smaller than the
    /// first even with weight decay added (so AMSGrad's maximum differs from the running average).
    private func parametersAfterTwoSteps(_ typeName: String, _ arguments: [String: String]) throws -> [Float] {
        let component = try #require(try linearSpec(optimizer: flow(typeName, arguments)).optimizer)
        let parameter = Variable(Tensor(shape: [3], scalars: [0.5, -1, 2]), requiresGrad: true)
        let optimizer = try StandardCatalogue.optimizer(for: component, parameters: [parameter])
        let small: [Float] = [0.001, 0.002, -0.001]
        let gradients = [[100, -200, 50]] + Array(repeating: small, count: (Self.stepCounts[typeName] ?? 2) - 1)
        for gradient in gradients {
            parameter.grad = Tensor(shape: [3], scalars: gradient)
            try optimizer.step()
        }
        return parameter.value.scalars
    }

    /// The losses the schedulers see at the ends of epochs 1…7 (ReduceLROnPlateau judges them; with its
    /// base, a relative threshold of 0.06 and patience 1, it reduces at epochs 4 and 6).
    static let epochMetrics = [10, 9, 8.5, 8.5, 8.5, 8.5, 8.5]

    /// The learning rates of epochs 0…6 under the scheduler, from SGD lr 1, each followed by SGD's
    /// momentum (which OneCycleLR cycles).
    private func learningRates(_ typeName: String, _ arguments: [String: String]) throws -> [Double] {
        let validated = try linearSpec(optimizer: "{type: SGD, lr: 1}", scheduler: flow(typeName, arguments))
        let optimizer = try StandardCatalogue.optimizer(for: try #require(validated.optimizer), parameters: [])
        let scheduler = try StandardCatalogue.scheduler(for: try #require(validated.train.scheduler), optimizer: optimizer, runSteps: 6)
        return Self.epochMetrics.flatMap { metric in
            defer { scheduler.step(metric: metric) }
            return [scheduler.lastLearningRate, (optimizer as? any CycledMomentum)?.cycledMomentum ?? 0]
        }
    }
}
