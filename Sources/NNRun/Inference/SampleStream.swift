import NNData
import NNSpec
import NNTensor

/// The samples `nnspec predict` feeds, in order, a batch at a time: inputs [n] + a sample shape.
/// A stream holds at most one batch of its own.
public protocol SampleStream {
    /// Samples in all.
    var count: Int { get }
    /// What the samples are: a file path, or "the test split".
    var origin: String { get }
    /// The next up to `limit` samples; nil when none are left.
    mutating func next(upTo limit: Int) throws(DataError) -> Tensor?
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

    mutating func next(upTo limit: Int) throws(DataError) -> Tensor? {
        guard file.remainingSamples > 0 else { return nil }
        do throws(DataFileError) {
            try file.readSamples(limit, into: &scratch)
        } catch {
            throw .file(error)
        }
        return Tensor(shape: [scratch.count / max(file.sampleElementCount, 1)] + file.sampleShape, scalars: scratch)
    }
}

/// The samples of another stream reshaped and transformed as the spec's data (`SpecData.prepared`).
struct PreparedSampleStream: SampleStream {
    var base: any SampleStream
    let spec: ValidatedSpec
    var origin: String { base.origin }
    var count: Int { base.count }

    mutating func next(upTo limit: Int) throws(DataError) -> Tensor? {
        guard let inputs = try base.next(upTo: limit) else { return nil }
        return try SpecData.prepared(inputs, for: spec)
    }
}

/// Samples in memory (a split of the spec's data), in order.
struct TensorSampleStream: SampleStream {
    let inputs: Tensor
    let origin: String
    private var position = 0

    init(inputs: Tensor, origin: String) {
        self.inputs = inputs
        self.origin = origin
    }

    var count: Int { inputs.shape[0] }

    mutating func next(upTo limit: Int) throws(DataError) -> Tensor? {
        guard position < count else { return nil }
        let rows = position..<min(position + limit, count)
        position = rows.upperBound
        return inputs.rows(rows)
    }
}
