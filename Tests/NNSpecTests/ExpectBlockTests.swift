import Testing
@testable import NNSpec

/// The `expect:` keys `nnspec test` reads after training: `train`, `loss_below`, `loss_above`,
/// `accuracy_at_least`, `test_loss_below`, `final_loss` and `golden`.
@Suite struct ExpectBlockTests {
    static let network = """
        nnspec: 1
        input: [N, 4]
        layers:
          - {name: fc, type: Linear, in_features: 4, out_features: 2}
        loss: CrossEntropyLoss
        expect:

        """

    @Test func trainingExpectationsAreRead() throws {
        let result = validate(Self.network + """
              train: {steps: 20, epochs: 2, init: start.safetensors}
              loss_below: 0.5
              loss_above: 0.01
              accuracy_at_least: 0.9
              test_loss_below: 0.4
              final_loss: {value: 0.25, tolerance: 0.001}
              golden: {file: net.golden.json, tolerance: 0.0001}
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        let expect = try #require(result.spec).expect
        #expect(expect.training == TestTraining(steps: 20, epochs: 2, initialWeights: repositoryRoot.path + "/start.safetensors"))
        #expect(expect.lossBelow == 0.5)
        #expect(expect.lossAbove == 0.01)
        #expect(expect.accuracyAtLeast == 0.9)
        #expect(expect.testLossBelow == 0.4)
        #expect(expect.finalLoss?.value == 0.25)
        #expect(expect.finalLoss?.tolerance == 0.001)
        #expect(expect.golden?.file == "net.golden.json")
        #expect(expect.golden?.tolerance == 0.0001)
        #expect(expect.needsTraining)
        #expect(expect.mark(of: "final_loss")?.line == 12)
    }

    @Test func aGoldenMayBeJustAFileWithTheDefaultTolerance() throws {
        let expect = try #require(validate(Self.network + "  golden: net.golden.json\n").spec).expect
        #expect(expect.golden?.file == "net.golden.json")
        #expect(expect.golden?.tolerance == Expectations.defaultTolerance)
        #expect(expect.training == nil)
    }

    @Test func staticExpectationsNeedNoTraining() throws {
        let expect = try #require(validate(Self.network + "  parameters: 10\n").spec).expect
        #expect(!expect.needsTraining)
    }

    @Test func badTrainingExpectationsAreReportedAtTheirValues() {
        let result = validate(Self.network + """
              train: {steps: 0, epoch: 2}
              loss_above: low
              final_loss: {tolerance: 0.1}
              golden: {tolerance: 0.1}
            """)
        #expect(errorMessages(result) == [
            "expect train steps must be positive, not 0",
            "unknown key 'epoch' in expect train",
            "expect loss_above must be a number, not 'low'",
            "expect final_loss needs 'value'",
            "expect golden needs 'file'",
        ])
        #expect(result.diagnostics.map { $0.mark?.line } == [7, 7, 8, 9, 10])
    }
}

/// The JSON Schema knows the training expectations: every training and parity spec of the corpus
/// satisfies it, and a misspelt key inside them does not.
@Suite struct ExpectBlockSchemaTests {
    @Test(arguments: CorpusTests.specs(in: "specs/training") + CorpusTests.specs(in: "specs/parity"))
    func schemaAcceptsTrainingExpectations(path: String) throws {
        #expect(try SchemaTests.accepts(try String(contentsOfFile: path, encoding: .utf8)), "\(path)")
    }

    @Test func schemaRejectsAnUnknownTrainingExpectation() throws {
        #expect(try !SchemaTests.accepts(ExpectBlockTests.network + "  train: {step: 3}\n"))
    }
}
