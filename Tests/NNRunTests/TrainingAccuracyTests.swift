import Foundation
import Testing
@testable import NNRun

/// Training learns real data: the shipped UCI digits.
@Suite struct TrainingAccuracyTests {
    /// examples/digits.yaml (a small CNN) reaches 97% test accuracy; run with `swift test -c release`
    /// (about 5 s there; a debug build is ~100× slower on convolutions).
    @Test(.enabled(if: isOptimizedBuild, "needs an optimized build"))
    func digitsCNNReaches97Percent() throws {
        let trainer = try Trainer(spec: try validatedSpec(path: repositoryRoot.appendingPathComponent("examples/digits.yaml").path))
        #expect(try trainer.run() == .finished)
        let accuracy = try #require(trainer.lastEvaluation?.accuracy)
        #expect(accuracy >= 0.97, "test accuracy \(accuracy)")
    }

    /// In any build: a linear-layer network on the same digits (flattened to 64 values) goes from
    /// chance to over 90% test accuracy in two epochs.
    @Test func digitsMLPLearnsInTwoEpochs() throws {
        let scratch = try ScratchDirectory()
        let digits = repositoryRoot.appendingPathComponent("examples/data/digits").path
        let path = try scratch.write("""
            nnspec: 1
            input: [N, 64]
            layers:
              - {name: fc1, type: Linear, in_features: 64, out_features: 32}
              - ReLU
              - {name: fc2, type: Linear, in_features: 32, out_features: 10}
            loss: CrossEntropyLoss
            optimizer: {type: Adam, lr: 0.01}
            data:
              batch_size: 32
              shuffle: true
              transforms: [{scale: 0.0625}]
              train: {source: idx, images: \(digits)/train-images-idx3-ubyte.gz, labels: \(digits)/train-labels-idx1-ubyte.gz}
              test: {source: idx, images: \(digits)/test-images-idx3-ubyte.gz, labels: \(digits)/test-labels-idx1-ubyte.gz}
            train: {epochs: 2}
            """, to: "digits-mlp.yaml")
        let trainer = try Trainer(spec: try validatedSpec(path: path))
        let test = try #require(trainer.data.test)
        let before = try #require(try trainer.evaluate(on: test).accuracy)
        let recorder = LossRecorder()
        trainer.observers = [recorder]
        #expect(try trainer.run() == .finished)
        let after = try #require(trainer.lastEvaluation?.accuracy)
        #expect(before < 0.3, "untrained accuracy \(before)")
        #expect(after > 0.9, "accuracy after two epochs \(after)")
        #expect(recorder.epochs.count == 2)
        #expect(try #require(recorder.epochs.last?.trainLoss) < (try #require(recorder.epochs.first?.trainLoss)))
    }
}
