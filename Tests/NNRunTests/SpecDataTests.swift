import NNCatalogue
import NNSpec
import NNTensor
import Testing
@testable import NNRun

@Suite struct SpecDataTests {
    private let digits = """
        data:
          batch_size: 32
          shuffle: true
          transforms: TRANSFORMS
          train: {source: idx, images: examples/data/digits/train-images-idx3-ubyte.gz, labels: examples/data/digits/train-labels-idx1-ubyte.gz}
          test: {source: idx, images: examples/data/digits/test-images-idx3-ubyte.gz, labels: examples/data/digits/test-labels-idx1-ubyte.gz, limit: 100}
        train: {epochs: 1, seed: 3}
        """

    private func digitsSpec(input: String, transforms: String = "[{scale: 0.0625}]") throws -> ValidatedSpec {
        try validatedSpec("""
            nnspec: 1
            input: \(input)
            layers:
              - Flatten
              - {type: Linear, in_features: auto, out_features: 10}
            loss: CrossEntropyLoss
            \(digits.replacingOccurrences(of: "TRANSFORMS", with: transforms))
            """)
    }

    @Test func theTutorialDrawsOneRandomSampleAndTargetOfTheOutputShape() throws {
        let spec = try #require(SpecValidator.standard.validate(file: repositoryRoot.appendingPathComponent("examples/lenet.yaml").path).spec)
        let data = try SpecData(spec: spec)
        #expect(data.test == nil)
        let batch = try data.train.batches(epoch: 0).batch(0)
        #expect(batch.inputs.shape == [1, 1, 32, 32])
        #expect(batch.targets.kind == .values(shape: [10]))
    }

    /// `target: input`: each sample's target is its input after the transforms (the labels are not used).
    @Test func inputTargetsAreTheTransformedInputs() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 1, 8, 8]
            layers:
              - {type: Conv2d, in_channels: 1, out_channels: 1, kernel_size: 3, padding: 1}
            loss: MSELoss
            \(digits.replacingOccurrences(of: "TRANSFORMS", with: "[{scale: 0.0625}]").replacingOccurrences(of: "data:\n", with: "data:\n  target: input\n"))
            """)
        let data = try SpecData(spec: spec)
        for loader in [data.train, try #require(data.test)] {
            let batch = try loader.batches(epoch: 0).batch(0)
            #expect(batch.targets == .values(batch.inputs))
            #expect(batch.inputs.scalars.max()! <= 1, "the scale transform reached the targets too")
        }
    }

    @Test func digitsLoadAsClassesShuffledWithTheTrainSeed() throws {
        let data = try SpecData(spec: try digitsSpec(input: "[N, 1, 8, 8]"))
        #expect(data.train.dataset.inputs.shape == [1437, 1, 8, 8])
        #expect(data.train.dataset.targets.kind == .classes(count: 10))
        #expect(data.train.batchCount == 45)
        #expect(data.train.shuffle && data.train.seed == 3)
        #expect(data.train.dataset.inputs.scalars.max() == 1)
        let test = try #require(data.test)
        #expect(test.dataset.count == 100)
        #expect(!test.shuffle)
    }

    @Test func samplesTakeTheInputsLayout() throws {
        let data = try SpecData(spec: try digitsSpec(input: "[N, 64]"))
        #expect(data.train.dataset.inputs.shape == [1437, 64])
    }

    @Test func padGrowsTheImagesToTheInput() throws {
        let data = try SpecData(spec: try digitsSpec(input: "[N, 1, 12, 12]", transforms: "[{pad: 2}, {normalize: {mean: [0.5], std: [2]}}]"))
        let inputs = data.train.dataset.inputs
        #expect(inputs.shape == [1437, 1, 12, 12])
        // The border was zero before normalising: (0 − 0.5) / 2.
        #expect(inputs.scalars[0] == -0.25)
        #expect(inputs.scalars[143] == -0.25)
    }

    @Test func irisLoadsThroughTheCSVSource() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 4]
            layers:
              - {type: Linear, in_features: 4, out_features: 3}
            loss: CrossEntropyLoss
            data:
              batch_size: 16
              drop_last: true
              train: {source: csv, path: examples/data/iris/train.csv, label_column: 4, header: true}
              test: {source: csv, path: examples/data/iris/test.csv, label_column: 4, header: true}
            """)
        let data = try SpecData(spec: spec)
        #expect(data.train.dataset.inputs.shape == [120, 4])
        #expect(data.train.batchCount == 7)
        #expect(data.test?.dataset.count == 30)
        #expect(data.test?.batchCount == 2)
    }

    @Test func randomClassesFollowTheOutputOrTheGivenCount() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 3]
            layers:
              - {type: Linear, in_features: 3, out_features: 5}
            loss: NLLLoss
            data:
              batch_size: 4
              train: {source: random, samples: 10, seed: 2, classes: 3}
              test: {source: random, samples: 6}
            """)
        let data = try SpecData(spec: spec)
        #expect(data.train.dataset.targets.kind == .classes(count: 3))
        #expect(data.test?.dataset.targets.kind == .classes(count: 5))
        #expect(data.train.dataset.inputs.shape == [10, 3])
    }

    @Test func aSpecWithoutDataIsRefused() throws {
        let spec = try validatedSpec("nnspec: 1\ninput: [N, 3]\nlayers:\n  - {type: Linear, in_features: 3, out_features: 5}\nloss: MSELoss\n")
        #expect(dataError { try SpecData(spec: spec) }?.description == "the spec has no data: train: source to train on")
    }
}
