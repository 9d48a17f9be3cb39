import NNData
import NNTensor

/// A run of samples for `predict` and `eval`: inputs [n] + the spec's input sample shape, with
/// their targets when the source has them.
public struct SampleBatch: Sendable {
    public var inputs: Tensor
    public var targets: Targets?
    public var count: Int { inputs.shape[0] }
}

/// Samples in order, read a batch at a time; a stream holds at most one batch of its own.
public protocol SampleStream {
    /// Samples in all.
    var count: Int { get }
    /// What the samples are: a file path, or "the spec's test split".
    var origin: String { get }
    /// The next up to `limit` samples; nil when none are left.
    mutating func next(upTo limit: Int) throws(DataError) -> SampleBatch?
}

/// The samples of a `.npy` file, read from disk a batch at a time, fed as they are.
struct NPYSampleStream: SampleStream {
    let file: NPYFile
    let origin: String
    let count: Int
    private var scratch: [Float] = []

    init(file: NPYFile, origin: String) {
        self.file = file
        self.origin = origin
        count = file.header.shape[0]
    }

    mutating func next(upTo limit: Int) throws(DataError) -> SampleBatch? {
        guard file.remainingSamples > 0 else { return nil }
        do {
            try file.readSamples(limit, into: &scratch)
        } catch {
            throw .file(error)
        }
        let samples = scratch.count / max(file.sampleElementCount, 1)
        return SampleBatch(inputs: Tensor(shape: [samples] + file.sampleShape, scalars: scratch), targets: nil)
    }
}

/// The samples of a data set in memory, in order.
struct DatasetSampleStream: SampleStream {
    let inputs: Tensor
    let targets: Targets?
    let origin: String
    private var position = 0

    init(inputs: Tensor, targets: Targets?, origin: String) {
        self.inputs = inputs
        self.targets = targets
        self.origin = origin
    }

    var count: Int { inputs.shape[0] }

    mutating func next(upTo limit: Int) throws(DataError) -> SampleBatch? {
        guard position < count else { return nil }
        let rows = position..<min(position + limit, count)
        position = rows.upperBound
        let batchTargets: Targets? = switch targets {
        case .classes(let indices, let classCount)?: .classes(indices: Array(indices[rows]), classCount: classCount)
        case .values(let values)?: .values(values.rows(rows))
        case nil: nil
        }
        return SampleBatch(inputs: inputs.rows(rows), targets: batchTargets)
    }
}
