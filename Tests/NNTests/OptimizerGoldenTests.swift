import Foundation
import NN
import NNTensor
import Testing

/// Each optimizer configuration of make_reference.py's OPTIMIZERS: 10 steps from the same start, with
/// the gradients PyTorch computed at each step (parameter 1 has none at steps 3 and 7), must reproduce
/// PyTorch's parameters after every step and its final `state_dict()` state.
@Suite struct OptimizerGoldenTests {
    static let cases = [
        "sgd", "sgd_momentum", "sgd_nesterov", "sgd_dampening_weight_decay", "sgd_maximize",
        "adam", "adam_amsgrad_weight_decay", "adamw", "adamw_amsgrad", "rmsprop", "rmsprop_centered_momentum",
        "adadelta", "adadelta_weight_decay_maximize", "adagrad", "adagrad_decay_accumulator",
        "nadam", "nadam_weight_decay_maximize", "nadam_decoupled", "radam", "radam_weight_decay_maximize", "radam_decoupled",
    ]
    static let parameterCount = 3

    /// Builds the case's optimizer; arguments the case leaves out take PyTorch's defaults from the file.
    static func makeOptimizer(_ file: SafetensorsFile, _ name: String, _ parameters: [Variable]) throws -> any Optimizer {
        let config = try ReferenceConfig(file, name)
        let defaults = try ReferenceConfig(file, "defaults.\(config.type)")
        func double(_ key: String) throws -> Double { try #require(config.double(key) ?? defaults.double(key), "\(key)") }
        func bool(_ key: String) throws -> Bool {
            let value: Bool? = config.bool(key) ?? defaults.bool(key)
            return try #require(value as Bool?, "\(key)")
        }
        switch config.type {
        case "SGD":
            return try SGD(parameters, lr: double("lr"), momentum: double("momentum"), dampening: double("dampening"),
                           weightDecay: double("weight_decay"), nesterov: bool("nesterov"), maximize: bool("maximize"))
        case "Adam", "AdamW":
            let betas = try #require(config.doubles("betas") ?? defaults.doubles("betas"))
            return try Adam(parameters, lr: double("lr"), betas: (betas[0], betas[1]), eps: double("eps"),
                            weightDecay: double("weight_decay"), amsgrad: bool("amsgrad"), maximize: bool("maximize"),
                            decoupledWeightDecay: config.type == "AdamW")
        case "RMSprop":
            return try RMSprop(parameters, lr: double("lr"), alpha: double("alpha"), eps: double("eps"),
                               weightDecay: double("weight_decay"), momentum: double("momentum"),
                               centered: bool("centered"), maximize: bool("maximize"))
        case "Adadelta":
            return try Adadelta(parameters, lr: double("lr"), rho: double("rho"), eps: double("eps"),
                                weightDecay: double("weight_decay"), maximize: bool("maximize"))
        case "Adagrad":
            return try Adagrad(parameters, lr: double("lr"), lrDecay: double("lr_decay"), weightDecay: double("weight_decay"),
                               initialAccumulatorValue: double("initial_accumulator_value"), eps: double("eps"),
                               maximize: bool("maximize"))
        case "NAdam":
            let betas = try #require(config.doubles("betas") ?? defaults.doubles("betas"))
            return try NAdam(parameters, lr: double("lr"), betas: (betas[0], betas[1]), eps: double("eps"),
                             weightDecay: double("weight_decay"), momentumDecay: double("momentum_decay"),
                             decoupledWeightDecay: bool("decoupled_weight_decay"), maximize: bool("maximize"))
        case "RAdam":
            let betas = try #require(config.doubles("betas") ?? defaults.doubles("betas"))
            return try RAdam(parameters, lr: double("lr"), betas: (betas[0], betas[1]), eps: double("eps"),
                             weightDecay: double("weight_decay"), decoupledWeightDecay: bool("decoupled_weight_decay"),
                             maximize: bool("maximize"))
        default:
            throw OptimizerError.invalidArgument("no optimizer \(config.type)")
        }
    }

    /// Sets step `step`'s recorded gradients, steps, and compares the parameters with PyTorch's.
    static func replay(step: Int, of name: String, in file: SafetensorsFile, _ optimizer: any Optimizer) throws {
        optimizer.zeroGrad()
        for (index, parameter) in optimizer.parameters.enumerated() {
            let gradientName = "\(name).step\(step).grad.\(index)"
            parameter.grad = file.names.contains(gradientName) ? try file.tensor(named: gradientName) : nil
        }
        try optimizer.step()
        for (index, parameter) in optimizer.parameters.enumerated() {
            expectClose(parameter.value, try file.tensor(named: "\(name).step\(step).param.\(index)"),
                        "\(name) step \(step) parameter \(index)")
        }
    }

    static func initialParameters(_ file: SafetensorsFile, _ name: String) throws -> [Variable] {
        try (0..<parameterCount).map { Variable(try file.tensor(named: "\(name).initial.\($0)"), requiresGrad: true) }
    }

    @Test(arguments: cases)
    func tenStepTrajectoryAndStateMatchPyTorch(_ name: String) throws {
        let file = try Reference.load("optimizers.safetensors")
        let optimizer = try Self.makeOptimizer(file, name, try Self.initialParameters(file, name))
        for step in 1...10 { try Self.replay(step: step, of: name, in: file, optimizer) }
        #expect(optimizer.stepCount == 10)

        let prefix = "\(name).state."
        let expected = file.tensors.filter { $0.name.hasPrefix(prefix) }
        let actual = optimizer.stateTensors()
        #expect(Set(actual.map(\.name)) == Set(expected.map { String($0.name.dropFirst(prefix.count)) }))
        for named in actual {
            expectClose(named.tensor, try file.tensor(named: prefix + named.name), "\(name) state \(named.name)")
        }
    }

    @Test(arguments: cases)
    func stateExportedAfterFiveStepsResumesTheTrajectory(_ name: String) throws {
        let file = try Reference.load("optimizers.safetensors")
        let first = try Self.makeOptimizer(file, name, try Self.initialParameters(file, name))
        for step in 1...5 { try Self.replay(step: step, of: name, in: file, first) }

        let resumedParameters = first.parameters.map { Variable($0.value, requiresGrad: true) }
        let resumed = try Self.makeOptimizer(file, name, resumedParameters)
        try resumed.loadStateTensors(first.stateTensors())
        #expect(resumed.stateTensors() == first.stateTensors())
        for step in 6...10 { try Self.replay(step: step, of: name, in: file, resumed) }
    }

    @Test func defaultsMatchPyTorch() throws {
        let file = try Reference.load("optimizers.safetensors")
        func defaults(_ type: String) throws -> ReferenceConfig { try ReferenceConfig(file, "defaults.\(type)") }
        let sgd = try SGD([]), sgdDefaults = try defaults("SGD")
        #expect(sgd.learningRate == sgdDefaults.double("lr"))
        #expect(sgd.momentum == sgdDefaults.double("momentum"))
        #expect(sgd.dampening == sgdDefaults.double("dampening"))
        #expect(sgd.weightDecay == sgdDefaults.double("weight_decay"))
        #expect(sgd.nesterov == sgdDefaults.bool("nesterov"))
        for (adam, type) in [(try Adam([]), "Adam"), (try AdamW([]), "AdamW")] {
            let expected = try defaults(type)
            #expect(adam.learningRate == expected.double("lr"), "\(type)")
            #expect([adam.moments.betas.0, adam.moments.betas.1] == expected.doubles("betas"), "\(type)")
            #expect(adam.moments.eps == expected.double("eps"), "\(type)")
            #expect(adam.moments.weightDecay == expected.double("weight_decay"), "\(type)")
            #expect(adam.amsgrad == expected.bool("amsgrad"), "\(type)")
        }
        let rmsprop = try RMSprop([]), rmspropDefaults = try defaults("RMSprop")
        #expect(rmsprop.learningRate == rmspropDefaults.double("lr"))
        #expect(rmsprop.alpha == rmspropDefaults.double("alpha"))
        #expect(rmsprop.eps == rmspropDefaults.double("eps"))
        #expect(rmsprop.momentum == rmspropDefaults.double("momentum"))
        #expect(rmsprop.centered == rmspropDefaults.bool("centered"))
        let adadelta = try Adadelta([]), adadeltaDefaults = try defaults("Adadelta")
        #expect(adadelta.learningRate == adadeltaDefaults.double("lr"))
        #expect(adadelta.rho == adadeltaDefaults.double("rho"))
        #expect(adadelta.eps == adadeltaDefaults.double("eps"))
        #expect(adadelta.weightDecay == adadeltaDefaults.double("weight_decay"))
        let adagrad = try Adagrad([]), adagradDefaults = try defaults("Adagrad")
        #expect(adagrad.learningRate == adagradDefaults.double("lr"))
        #expect(adagrad.lrDecay == adagradDefaults.double("lr_decay"))
        #expect(adagrad.weightDecay == adagradDefaults.double("weight_decay"))
        #expect(adagrad.initialAccumulatorValue == adagradDefaults.double("initial_accumulator_value"))
        #expect(adagrad.eps == adagradDefaults.double("eps"))
        let nadam = try NAdam([]), nadamDefaults = try defaults("NAdam")
        #expect(nadam.learningRate == nadamDefaults.double("lr"))
        #expect([nadam.moments.betas.0, nadam.moments.betas.1] == nadamDefaults.doubles("betas"))
        #expect(nadam.moments.eps == nadamDefaults.double("eps"))
        #expect(nadam.moments.weightDecay == nadamDefaults.double("weight_decay"))
        #expect(nadam.momentumDecay == nadamDefaults.double("momentum_decay"))
        #expect(nadam.moments.decoupledWeightDecay == nadamDefaults.bool("decoupled_weight_decay"))
        let radam = try RAdam([]), radamDefaults = try defaults("RAdam")
        #expect(radam.learningRate == radamDefaults.double("lr"))
        #expect([radam.moments.betas.0, radam.moments.betas.1] == radamDefaults.doubles("betas"))
        #expect(radam.moments.eps == radamDefaults.double("eps"))
        #expect(radam.moments.weightDecay == radamDefaults.double("weight_decay"))
        #expect(radam.moments.decoupledWeightDecay == radamDefaults.bool("decoupled_weight_decay"))
    }
}
