import NN
import NNSpec
import NNTensor
import Testing
@testable import NNRun

@Suite struct LossBuilderTests {
    private func spec(loss: String) throws -> ValidatedSpec {
        try validatedSpec("nnspec: 1\ninput: [N, 3]\nlayers:\n  - {type: Linear, in_features: 3, out_features: 3}\nloss: \(loss)\n")
    }

    private let logits = Variable(Tensor(shape: [2, 3], scalars: [0.5, -1, 2, 0, 0.25, -0.5]))

    @Test func classLossArgumentsReachTheLoss() throws {
        let built = try LossBuilder.loss(try #require(try spec(loss: "{type: CrossEntropyLoss, reduction: sum, label_smoothing: 0.1, weight: [1, 2, 0.5]}").loss))
        let direct = try CrossEntropyLoss(weight: Tensor(shape: [3], scalars: [1, 2, 0.5]), reduction: .sum, labelSmoothing: 0.1)
        let targets = Targets.classes(indices: [2, 1], classCount: 3)
        #expect(try built(logits, targets.lossTarget).value == direct(logits, classes: [2, 1]).value)
        #expect(try built(logits, targets.lossTarget).value != CrossEntropyLoss()(logits, classes: [2, 1]).value)
    }

    @Test func valueLossesTakeValueTargets() throws {
        let built = try LossBuilder.loss(try #require(try spec(loss: "{type: SmoothL1Loss, beta: 0.5}").loss))
        let target = Tensor(shape: [2, 3], scalars: [0, 0, 0, 1, 1, 1])
        #expect(try built(logits, Targets.values(target).lossTarget).value == SmoothL1Loss(beta: 0.5)(logits, target).value)
        for name in ["MSELoss", "L1Loss", "BCEWithLogitsLoss", "NLLLoss", "BCELoss"] {
            _ = try LossBuilder.loss(try #require(try spec(loss: name).loss))
        }
    }
}
