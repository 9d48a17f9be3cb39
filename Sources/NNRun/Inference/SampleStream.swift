import NNData
import NNSpec
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

/// The samples of a data file, read from disk a batch at a time, as the file holds them.
struct FileSampleStream: SampleStream {
    let file: any SampleFileReader
    let origin: String
    let count: Int
    private var scratch: [Float] = []

    init(file: any SampleFileReader, origin: String) {
        self.file = file
        self.origin = origin
        count = file.remainingSamples
    }

    mutating func next(upTo limit: Int) throws(DataError) -> SampleBatch? {
        guard file.remainingSamples > 0 else { return nil }
        do throws(DataFileError) {
            try file.readSamples(limit, into: &scratch)
        } catch {
            throw .file(error)
        }
        let samples = scratch.count / max(file.sampleElementCount, 1)
        return SampleBatch(inputs: Tensor(shape: [samples] + file.sampleShape, scalars: scratch), targets: nil)
    }
}

/// The samples of another stream reshaped and transformed as the spec's data (`SpecData.prepared`).
struct PreparedSampleStream: SampleStream {
    var base: any SampleStream
    let spec: ValidatedSpec
    var origin: String { base.origin }
    var count: Int { base.count }

    mutating func next(upTo limit: Int) throws(DataError) -> SampleBatch? {
        guard let batch = try base.next(upTo: limit) else { return nil }
        return SampleBatch(inputs: try SpecData.prepared(batch.inputs, for: spec), targets: batch.targets)
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
