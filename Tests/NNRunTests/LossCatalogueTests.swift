import NN
import NNCatalogue
import NNSpec
import NNTensor
import Testing
@testable import NNRun

@Suite struct LossCatalogueTests {
    private func spec(loss: String) throws -> ValidatedSpec {
        try validatedSpec("nnspec: 1\ninput: [N, 3]\nlayers:\n  - {type: Linear, in_features: 3, out_features: 3}\nloss: \(loss)\n")
    }

    private let logits = Variable(Tensor(shape: [2, 3], scalars: [0.5, -1, 2, 0, 0.25, -0.5]))

    @Test func classLossArgumentsReachTheLoss() throws {
        let built = try StandardCatalogue.loss(for: try #require(try spec(loss: "{type: CrossEntropyLoss, reduction: sum, label_smoothing: 0.1, weight: [1, 2, 0.5]}").loss))
        let direct = try CrossEntropyLoss(weight: Tensor(shape: [3], scalars: [1, 2, 0.5]), reduction: .sum, labelSmoothing: 0.1)
        let targets = Targets.classes(indices: [2, 1], classCount: 3)
        #expect(try built(logits, targets.lossTarget).value == direct(logits, classes: [2, 1]).value)
        #expect(try built(logits, targets.lossTarget).value != CrossEntropyLoss()(logits, classes: [2, 1]).value)
    }

    /// Every argument of every catalogue loss reaches the built loss: set to another value than its
    /// default, it changes the loss of a fixed batch.
    @Test func everyCatalogueLossArgumentChangesTheLoss() throws {
        let variants: [String: [String: String]] = [
            "MSELoss": ["reduction": "sum"], "L1Loss": ["reduction": "sum"], "BCELoss": ["reduction": "sum"],
            "SmoothL1Loss": ["reduction": "sum", "beta": "0.5"],
            "CrossEntropyLoss": ["weight": "[1, 2, 0.5]", "ignore_index": "1", "reduction": "sum", "label_smoothing": "0.1"],
            "NLLLoss": ["weight": "[1, 2, 0.5]", "ignore_index": "1", "reduction": "sum"],
            "BCEWithLogitsLoss": ["reduction": "sum", "pos_weight": "[2, 0.5, 1]"],
        ]
        for definition in StandardCatalogue.losses {
            let base = try lossValue(definition.typeName)
            for argument in definition.arguments {
                let value = try #require(variants[definition.typeName]?[argument.name], "no variant of \(definition.typeName) \(argument.name)")
                #expect(try lossValue("{type: \(definition.typeName), \(argument.name): \(value)}") != base,
                        "\(definition.typeName) \(argument.name): \(value)")
            }
        }
    }

    /// The built loss of `written` on fixed probabilities [2, 3] and class indices or values.
    private func lossValue(_ written: String) throws -> [Float] {
        let component = try #require(try spec(loss: written).loss)
        let target = component.target == .classIndices
            ? Targets.classes(indices: [2, 1], classCount: 3)
            : Targets.values(Tensor(shape: [2, 3], scalars: [0, 1, 1, 1, 0, 0.5]))
        let loss = try StandardCatalogue.loss(for: component)
        let probabilities = Variable(Tensor(shape: [2, 3], scalars: [0.2, 0.7, 0.9, 0.4, 0.55, 0.1]))
        return try loss(probabilities, target.lossTarget).value.scalars
    }

    @Test func valueLossesTakeValueTargets() throws {
        let built = try StandardCatalogue.loss(for: try #require(try spec(loss: "{type: SmoothL1Loss, beta: 0.5}").loss))
        let target = Tensor(shape: [2, 3], scalars: [0, 0, 0, 1, 1, 1])
        #expect(try built(logits, Targets.values(target).lossTarget).value == SmoothL1Loss(beta: 0.5)(logits, target).value)
        for name in ["MSELoss", "L1Loss", "BCEWithLogitsLoss", "NLLLoss", "BCELoss"] {
            _ = try StandardCatalogue.loss(for: try #require(try spec(loss: name).loss))
        }
    }
}
