import NNTensor
import Testing
@testable import NN

@Suite("Gradient checks: losses")
struct LossGradientTests {
    @Test(arguments: Reduction.allCases)
    func l1AndSmoothL1(reduction: Reduction) throws {
        var generator = RandomGenerator(seed: 31)
        let input = randomVariable([3, 4], &generator)
        let target = input.value.mapped { $0 + ($0 > 0 ? 0.3 : -0.45) * ($0 * 7).rounded() / 7 + 0.05 }
        try expectGradientsMatch([input], step: 1e-3) { try L1Loss(reduction: reduction)(input, target) }
        let smooth = try SmoothL1Loss(reduction: reduction, beta: 0.2)
        try expectGradientsMatch([input], step: 1e-3) { try smooth(input, target) }
    }

    @Test(arguments: Reduction.allCases)
    func bce(reduction: Reduction) throws {
        var generator = RandomGenerator(seed: 32)
        let input = randomVariable([3, 4], &generator, in: 0.1...0.9)
        let target = randomVariable([3, 4], &generator, in: 0...1, requiresGrad: false).value
        try expectGradientsMatch([input], step: 1e-3) { try BCELoss(reduction: reduction)(input, target) }
    }

    @Test(arguments: Reduction.allCases)
    func bceWithLogits(reduction: Reduction) throws {
        var generator = RandomGenerator(seed: 33)
        let input = randomVariable([3, 4], &generator, in: -3...3)
        let target = randomVariable([3, 4], &generator, in: 0...1, requiresGrad: false).value
        try expectGradientsMatch([input]) { try BCEWithLogitsLoss(reduction: reduction)(input, target) }
        let weighted = BCEWithLogitsLoss(reduction: reduction, posWeight: Tensor(shape: [4], scalars: [0.5, 1, 2, 3]))
        try expectGradientsMatch([input]) { try weighted(input, target) }
    }

    @Test(arguments: Reduction.allCases)
    func nllWithWeightAndIgnoredTarget(reduction: Reduction) throws {
        var generator = RandomGenerator(seed: 34)
        let input = randomVariable([4, 3], &generator, in: -3...0)
        let loss = NLLLoss(weight: Tensor(shape: [3], scalars: [0.2, 1, 3]), ignoreIndex: 1, reduction: reduction)
        try expectGradientsMatch([input]) { try loss(input, classes: [2, 1, 0, 2]) }
    }

    @Test(arguments: Reduction.allCases)
    func nllPerPositionWithWeightAndIgnoredTarget(reduction: Reduction) throws {
        var generator = RandomGenerator(seed: 36)
        let input = randomVariable([2, 3, 4], &generator, in: -3...0)
        let loss = NLLLoss(weight: Tensor(shape: [3], scalars: [0.2, 1, 3]), ignoreIndex: -100, reduction: reduction)
        let targets = [2, -100, 0, 1, 1, 0, 2, -100]
        #expect(try loss(input, classes: targets).shape == (reduction == .none ? [2, 4] : []))
        try expectGradientsMatch([input]) { try loss(input, classes: targets) }
    }

    @Test(arguments: Reduction.allCases)
    func crossEntropySpatialWithWeightSmoothingAndIgnore(reduction: Reduction) throws {
        var generator = RandomGenerator(seed: 35)
        let input = randomVariable([2, 3, 2, 2], &generator, in: -2...2)
        let loss = try CrossEntropyLoss(weight: Tensor(shape: [3], scalars: [0.5, 2, 1]), ignoreIndex: -1,
                                        reduction: reduction, labelSmoothing: 0.1)
        let targets = [0, 2, -1, 1, 1, 1, 0, 2]
        #expect(try loss(input, classes: targets).shape == (reduction == .none ? [2, 2, 2] : []))
        try expectGradientsMatch([input]) { try loss(input, classes: targets) }
    }
}
