import NNTensor

/// One batch: inputs [N] + sample shape and their targets (N ≤ batch size).
public struct Batch: Equatable, Sendable {
    public var inputs: Tensor
    public var targets: Targets

    public init(inputs: Tensor, targets: Targets) {
        self.inputs = inputs
        self.targets = targets
    }

    /// The number of samples.
    public var count: Int { inputs.shape.first ?? 0 }

    /// A batch without samples, to be filled.
    static var empty: Batch { Batch(inputs: Tensor(zeros: [0]), targets: .classes(indices: [], classCount: 0)) }
}

/// Cuts a data set into batches, epoch by epoch (PyTorch's `DataLoader`).
///
/// The sample order of an epoch is a function of `(seed, epoch)` only: without `shuffle` it is
/// 0, 1, 2, …; with it, a permutation drawn from a generator seeded from both. So batch b of
/// epoch e is the same whenever it is asked for, and a run resumed at (e, b) sees exactly the
/// batches the uninterrupted run would have seen.
public struct DataLoader: Sendable {
    public let dataset: Dataset
    public let batchSize: Int
    public let shuffle: Bool
    /// Leave out the last batch when it would be smaller than `batchSize`.
    public let dropLast: Bool
    public let seed: UInt64

    public init(dataset: Dataset, batchSize: Int, shuffle: Bool = false, dropLast: Bool = false, seed: UInt64 = 0) throws(DataError) {
        guard batchSize > 0 else { throw .invalidArgument("batch_size must be positive, got \(batchSize)") }
        guard !dropLast || batchSize <= dataset.count else {
            throw .invalidArgument("drop_last with batch_size \(batchSize) leaves no batch of the \(dataset.count) samples")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
    }

    /// Batches per epoch: ⌈count / batchSize⌉, or ⌊count / batchSize⌋ with `dropLast`.
    public var batchCount: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The order in which epoch `epoch` visits the samples.
    public func sampleOrder(epoch: Int) -> [Int] {
        var order = Array(0..<dataset.count)
        guard shuffle else { return order }
        // splitmix64's increment spreads consecutive epochs over the seed space.
        var generator = RandomGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15))
        for index in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(index, generator.index(below: index + 1))
        }
        return order
    }

    /// Epoch `epoch`'s batches from batch `start` on (for resuming inside an epoch).
    public func batches(epoch: Int, from start: Int = 0) throws(DataError) -> EpochBatches {
        guard (0...batchCount).contains(start) else {
            throw .invalidArgument("cannot start at batch \(start): an epoch has \(batchCount) batches")
        }
        return EpochBatches(loader: self, epoch: epoch, order: sampleOrder(epoch: epoch), start: start)
    }
}

/// The batches of one epoch, in order; iterating reuses one batch's storage when the caller
/// does not keep the previous batch.
public struct EpochBatches: Sequence, Sendable {
    public let loader: DataLoader
    public let epoch: Int
    /// The samples in visiting order.
    public let order: [Int]
    /// The first batch iteration yields.
    public let start: Int

    /// The sample indices of batch `index` (0..<loader.batchCount).
    public func sampleIndices(ofBatch index: Int) throws(DataError) -> ArraySlice<Int> {
        guard (0..<loader.batchCount).contains(index) else {
            throw .invalidArgument("batch \(index) does not exist: an epoch has \(loader.batchCount) batches")
        }
        return samples(ofBatch: index)
    }

    /// Batch `index` (0..<loader.batchCount).
    public func batch(_ index: Int) throws(DataError) -> Batch {
        var batch = Batch.empty
        try fill(&batch, with: index)
        return batch
    }

    /// Writes batch `index` into `batch`, reusing its input storage when the shape allows.
    public func fill(_ batch: inout Batch, with index: Int) throws(DataError) {
        fill(&batch, samples: try sampleIndices(ofBatch: index))
    }

    /// The sample indices of batch `index`, which must exist.
    private func samples(ofBatch index: Int) -> ArraySlice<Int> {
        let lower = index * loader.batchSize
        return order[lower..<Swift.min(lower + loader.batchSize, order.count)]
    }

    private func fill(_ batch: inout Batch, samples: ArraySlice<Int>) {
        gatherRows(of: loader.dataset.inputs, at: samples, into: &batch.inputs)
        switch loader.dataset.targets {
        case .classes(let indices, let classCount):
            batch.targets = .classes(indices: samples.map { indices[$0] }, classCount: classCount)
        case .values(let values):
            var gathered = Tensor(zeros: [0])
            gatherRows(of: values, at: samples, into: &gathered)
            batch.targets = .values(gathered)
        case .positionClasses(let indices, let positions, let classCount):
            let gathered = samples.flatMap { indices[$0 * positions ..< ($0 + 1) * positions] }
            batch.targets = .positionClasses(indices: gathered, positions: positions, classCount: classCount)
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(batches: self, nextIndex: start)
    }

    public struct Iterator: IteratorProtocol, Sendable {
        let batches: EpochBatches
        var nextIndex: Int
        var current: Batch?

        public mutating func next() -> Batch? {
            guard nextIndex < batches.loader.batchCount else { return nil }
            var batch = current.take() ?? .empty
            batches.fill(&batch, samples: batches.samples(ofBatch: nextIndex))
            nextIndex += 1
            current = batch
            return batch
        }
    }
}

/// Copies rows `rows` of `source` ([count] + row shape) into `destination`, which becomes
/// [rows.count] + row shape; its storage is reused when it already has that shape.
func gatherRows(of source: Tensor, at rows: ArraySlice<Int>, into destination: inout Tensor) {
    let shape = [rows.count] + source.shape.dropFirst()
    if destination.shape != shape { destination = Tensor(zeros: shape) }
    let rowSize = source.shape.dropFirst().reduce(1, *)
    source.scalars.withUnsafeBufferPointer { from in
        destination.scalars.withUnsafeMutableBufferPointer { to in
            for (position, row) in rows.enumerated() {
                (to.baseAddress! + position * rowSize).update(from: from.baseAddress! + row * rowSize, count: rowSize)
            }
        }
    }
}
