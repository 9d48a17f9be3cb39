import NN
import NNCatalogue
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// The digits data end to end: spec → SpecData → builder → a plain SGD loop. Test accuracy far
/// above chance (10%) shows that images and labels are aligned and scaled as the spec says.
@Suite struct DigitsLearnabilityTests {
    @Test func aSmallMLPLearnsTheDigits() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            name: DigitsMLP
            input: [N, 64]
            layers:
              - {type: Linear, in_features: 64, out_features: 32}
              - ReLU
              - {type: Linear, in_features: 32, out_features: 10}
            loss: CrossEntropyLoss
            data:
              batch_size: 32
              shuffle: true
              transforms: [{scale: 0.0625}]
              train: {source: idx, images: examples/data/digits/train-images-idx3-ubyte.gz, labels: examples/data/digits/train-labels-idx1-ubyte.gz}
              test: {source: idx, images: examples/data/digits/test-images-idx3-ubyte.gz, labels: examples/data/digits/test-labels-idx1-ubyte.gz}
            train: {seed: 0}
            """)
        let data = try SpecData(spec: spec)
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        let loss = try StandardCatalogue.loss(for: try #require(spec.loss))
        for epoch in 0..<5 {
            for batch in try data.train.batches(epoch: epoch) {
                network.zeroGrad()
                try loss(try network(Variable(batch.inputs)), batch.targets.lossTarget).backward()
                for parameter in network.parameters() {
                    let gradient = try #require(parameter.grad)
                    parameter.value.scalars = zip(parameter.value.scalars, gradient.scalars).map { $0 - 0.3 * $1 }
                }
            }
        }
        let test = try #require(data.test)
        var correct = 0
        for batch in try test.batches(epoch: 0) {
            guard case .classes(let labels, _) = batch.targets else { return }
            let scores = try noGrad { try network(Variable(batch.inputs)).value }
            for (row, label) in labels.enumerated() {
                let rowScores = scores.scalars[row * 10..<(row + 1) * 10]
                if rowScores.firstIndex(of: rowScores.max()!)! - row * 10 == label { correct += 1 }
            }
        }
        #expect(Double(correct) / Double(test.dataset.count) > 0.9)
    }
}
