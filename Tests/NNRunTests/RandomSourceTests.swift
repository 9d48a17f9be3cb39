import NNTensor
import Testing
@testable import NNRun

@Suite struct RandomSourceTests {
    @Test func classTargetsHaveTheInputShapeAndValidIndices() throws {
        let data = try Dataset.random(samples: 500, sampleShape: [1, 4, 4], targets: .classes(count: 7), seed: 3)
        #expect(data.inputs.shape == [500, 1, 4, 4])
        #expect(data.sampleShape == [1, 4, 4])
        guard case .classes(let indices, let classCount) = data.targets else {
            Issue.record("expected class targets, got \(data.targets.kind)")
            return
        }
        #expect(classCount == 7)
        #expect(Set(indices) == Set(0..<7))
        let mean = data.inputs.scalars.reduce(0, +) / Float(data.inputs.count)
        let variance = data.inputs.scalars.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(data.inputs.count)
        #expect(abs(mean) < 0.05)
        #expect(abs(variance - 1) < 0.05)
    }

    @Test func valueTargetsHaveTheOutputShape() throws {
        // The torch.nn tutorial: one 1×32×32 input, a target of the output's shape [1, 10].
        let data = try Dataset.random(samples: 1, sampleShape: [1, 32, 32], targets: .values(shape: [10]), seed: 0)
        #expect(data.inputs.shape == [1, 1, 32, 32])
        #expect(data.targets.kind == .values(shape: [10]))
        guard case .values(let values) = data.targets else { return }
        #expect(values.shape == [1, 10])
        #expect(Set(values.scalars).count == 10)
    }

    /// BCELoss's targets are probabilities: drawn uniform in [0, 1), the inputs as without them.
    @Test func probabilityTargetsAreUniformInTheUnitInterval() throws {
        let data = try Dataset.random(samples: 400, sampleShape: [3], targets: .values(shape: [5]), probabilities: true, seed: 2)
        guard case .values(let values) = data.targets else { Issue.record("expected value targets"); return }
        #expect(values.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = values.scalars.reduce(0, +) / Float(values.count)
        #expect(abs(mean - 0.5) < 0.02)
        let normal = try Dataset.random(samples: 1, sampleShape: [3], targets: .values(shape: [5]), seed: 2)
        #expect(Array(data.inputs.scalars.prefix(3)) == normal.inputs.scalars, "the first sample's inputs are drawn first")
    }

    @Test func sameSeedSameData_otherSeedOtherData() throws {
        let first = try Dataset.random(samples: 8, sampleShape: [3], targets: .classes(count: 4), seed: 11)
        let again = try Dataset.random(samples: 8, sampleShape: [3], targets: .classes(count: 4), seed: 11)
        let other = try Dataset.random(samples: 8, sampleShape: [3], targets: .classes(count: 4), seed: 12)
        #expect(first.inputs == again.inputs)
        #expect(first.targets == again.targets)
        #expect(first.inputs != other.inputs)
    }

    @Test func theFirstSamplesDoNotDependOnTheSampleCount() throws {
        let few = try Dataset.random(samples: 3, sampleShape: [2, 2], targets: .values(shape: [2]), seed: 5)
        let many = try Dataset.random(samples: 10, sampleShape: [2, 2], targets: .values(shape: [2]), seed: 5)
        #expect(few.inputs.scalars == Array(many.inputs.scalars[..<12]))
        guard case .values(let fewTargets) = few.targets, case .values(let manyTargets) = many.targets else { return }
        #expect(fewTargets.scalars == Array(manyTargets.scalars[..<6]))
    }

    @Test func badSettingsAreRefused() {
        #expect(dataError { try Dataset.random(samples: 0, sampleShape: [1], targets: .classes(count: 2), seed: 0) }?.description ==
            "random data needs a positive sample count and sizes, got 0 samples of shape [1]")
        #expect(dataError { try Dataset.random(samples: 2, sampleShape: [1], targets: .classes(count: 0), seed: 0) }?.description ==
            "random class targets need a positive class count, got 0")
        #expect(dataError { try Dataset.random(samples: 2, sampleShape: [1], targets: .values(shape: [0]), seed: 0) }?.description ==
            "random value targets need positive sizes, got shape [0]")
        #expect(dataError { try Dataset.random(samples: 1 << 40, sampleShape: [1 << 20, 1 << 20], targets: .classes(count: 2), seed: 0) }?
            .description == "random data of 1099511627776 samples of shape [1048576, 1048576] has more elements than can be addressed")
    }
}
