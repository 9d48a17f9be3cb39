import NNTensor
import Testing
@testable import NNRun

@Suite struct DataLoaderTests {
    /// 10 samples [2]: sample i holds (i, −i), its class is i % 3.
    private let data = try! Dataset(
        inputs: Tensor(shape: [10, 2], scalars: (0..<10).flatMap { [Float($0), -Float($0)] }),
        targets: .classes(indices: (0..<10).map { $0 % 3 }, classCount: 3))

    @Test func batchCountsFollowDropLast() throws {
        #expect(try DataLoader(dataset: data, batchSize: 4).batchCount == 3)
        #expect(try DataLoader(dataset: data, batchSize: 4, dropLast: true).batchCount == 2)
        #expect(try DataLoader(dataset: data, batchSize: 5, dropLast: true).batchCount == 2)
        #expect(try DataLoader(dataset: data, batchSize: 64).batchCount == 1)
    }

    @Test func unshuffledBatchesFollowTheSamplesAndEndShort() throws {
        let loader = try DataLoader(dataset: data, batchSize: 4)
        let batches = Array(try loader.batches(epoch: 0))
        #expect(batches.map(\.count) == [4, 4, 2])
        #expect(batches[1].inputs == Tensor(shape: [4, 2], scalars: [4, -4, 5, -5, 6, -6, 7, -7]))
        #expect(batches[1].targets == .classes(indices: [1, 2, 0, 1], classCount: 3))
        #expect(batches[2].inputs.shape == [2, 2])
        let dropped = Array(try DataLoader(dataset: data, batchSize: 4, dropLast: true).batches(epoch: 0))
        #expect(dropped.map(\.count) == [4, 4])
    }

    @Test func shuffleIsASeededPermutationThatChangesEachEpoch() throws {
        let loader = try DataLoader(dataset: data, batchSize: 3, shuffle: true, seed: 42)
        let epoch0 = loader.sampleOrder(epoch: 0), epoch1 = loader.sampleOrder(epoch: 1)
        #expect(epoch0.sorted() == Array(0..<10))
        #expect(epoch1.sorted() == Array(0..<10))
        #expect(epoch0 != epoch1)
        #expect(epoch0 != Array(0..<10))
        #expect(try DataLoader(dataset: data, batchSize: 5, shuffle: true, seed: 42).sampleOrder(epoch: 1) == epoch1)
        #expect(try DataLoader(dataset: data, batchSize: 3, shuffle: true, seed: 43).sampleOrder(epoch: 0) != epoch0)
        let orders = Set((0..<20).map { loader.sampleOrder(epoch: $0) })
        #expect(orders.count == 20)
    }

    @Test func shuffledBatchesHoldEachSampleOnceWithItsTarget() throws {
        let loader = try DataLoader(dataset: data, batchSize: 4, shuffle: true, seed: 7)
        var seen: [Int] = []
        for batch in try loader.batches(epoch: 3) {
            guard case .classes(let classes, _) = batch.targets else { return }
            for row in 0..<batch.count {
                let sample = Int(batch.inputs.scalars[2 * row])
                #expect(batch.inputs.scalars[2 * row + 1] == -Float(sample))
                #expect(classes[row] == sample % 3)
                seen.append(sample)
            }
        }
        #expect(seen == loader.sampleOrder(epoch: 3))
    }

    @Test func aResumedEpochYieldsTheSameBatches() throws {
        let loader = try DataLoader(dataset: data, batchSize: 3, shuffle: true, seed: 1)
        let whole = Array(try loader.batches(epoch: 2))
        let resumed = Array(try DataLoader(dataset: data, batchSize: 3, shuffle: true, seed: 1).batches(epoch: 2, from: 2))
        #expect(resumed == Array(whole[2...]))
        #expect(try loader.batches(epoch: 2).batch(1) == whole[1])
    }

    @Test func valueTargetsAreGatheredWithTheirSamples() throws {
        let regression = try Dataset(inputs: data.inputs, targets: .values(Tensor(shape: [10, 1], scalars: (0..<10).map { Float($0) / 2 })))
        let loader = try DataLoader(dataset: regression, batchSize: 4, shuffle: true, seed: 9)
        for batch in try loader.batches(epoch: 0) {
            guard case .values(let targets) = batch.targets else { return }
            #expect(targets.shape == [batch.count, 1])
            #expect(targets.scalars == (0..<batch.count).map { batch.inputs.scalars[2 * $0] / 2 })
        }
    }

    @Test func fillingReusesTheBatchStorage() throws {
        let loader = try DataLoader(dataset: data, batchSize: 4, shuffle: true)
        let batches = try loader.batches(epoch: 0)
        var batch = try batches.batch(0)
        let storage = batch.inputs.scalars.withUnsafeBufferPointer { $0.baseAddress }
        try batches.fill(&batch, with: 1)
        #expect(batch.inputs.scalars.withUnsafeBufferPointer { $0.baseAddress } == storage)
        #expect(try batch == batches.batch(1))
    }

    @Test func prefixKeepsTheFirstSamplesWithTheirTargets() throws {
        let first = try data.prefix(4)
        #expect(first.inputs == Tensor(shape: [4, 2], scalars: [0, 0, 1, -1, 2, -2, 3, -3]))
        #expect(first.targets == .classes(indices: [0, 1, 2, 0], classCount: 3))
        #expect(try data.prefix(50).count == 10)
        let regression = try Dataset(inputs: data.inputs, targets: .values(Tensor(shape: [10, 1], scalars: (0..<10).map { Float($0) })))
        #expect(try regression.prefix(2).targets == .values(Tensor(shape: [2, 1], scalars: [0, 1])))
        #expect(dataError { try data.prefix(0) }?.description == "a sample limit must be positive, got 0")
    }

    @Test func badSettingsAreRefused() throws {
        #expect(dataError { try DataLoader(dataset: data, batchSize: 0) }?.description == "batch_size must be positive, got 0")
        let loader = try DataLoader(dataset: data, batchSize: 4)
        #expect(dataError { try loader.batches(epoch: 0, from: 4) }?.description == "cannot start at batch 4: an epoch has 3 batches")
        #expect(dataError { try loader.batches(epoch: 0).batch(3) }?.description == "batch 3 does not exist: an epoch has 3 batches")
        #expect(try Array(loader.batches(epoch: 0, from: 3)).isEmpty)
        #expect(dataError { try DataLoader(dataset: data, batchSize: 11, dropLast: true) }?.description ==
            "drop_last with batch_size 11 leaves no batch of the 10 samples")
        #expect(dataError { try Dataset(inputs: Tensor(zeros: [2, 1]), targets: .classes(indices: [0], classCount: 1)) }?.description ==
            "2 input samples (shape [2, 1]) but 1 targets")
        #expect(dataError { try Dataset(inputs: Tensor(zeros: [2, 1]), targets: .classes(indices: [0, 4], classCount: 3)) }?.description ==
            "the target of sample 1 is class 4, outside 0..<3")
        #expect(dataError { try Dataset(inputs: Tensor(zeros: [0, 1]), targets: .classes(indices: [], classCount: 3)) }?.description ==
            "a data set needs at least one sample; the inputs have shape [0, 1]")
    }
}
