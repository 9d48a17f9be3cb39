import NNData
import NNSpec

/// The memory a data split takes once loaded, from file headers and sizes only (nothing is loaded),
/// so a data set that would not fit is refused before reading it.
struct DataSetMemory {
    /// The bytes and what they are, for the refusal's dominant part.
    var bytes: Double
    var detail: String

    /// Bytes of a float32 value and of a class index (`Int`).
    private static let floatBytes = 4.0, indexBytes = 8.0
    /// How much of a CSV file is read to estimate its line length.
    static let csvSampleBytes = 1 << 16

    /// The size of `source` loaded for `spec`; nil when a file's header cannot be read (loading it
    /// then reports the file and offset).
    init?(_ source: DataSource, spec: ValidatedSpec) {
        let inputElements = Double(spec.input.sampleElementCount ?? Int.max)
        let classTargets = spec.loss?.target == .classIndices
        switch source {
        case .random(let samples, _, _):
            let targetElements = Double(spec.output.sampleElementCount ?? Int.max)
            bytes = Double(samples) * (inputElements + targetElements) * Self.floatBytes
            detail = "\(samples) random samples, inputs and targets"
        case .idx(let imagesPath, let labelsPath, _):
            guard let images = try? IDXFile.readHeader(path: imagesPath), let labels = try? IDXFile.readHeader(path: labelsPath),
                  let count = images.dimensions.first, count > 0 else { return nil }
            // The raw bodies stay in memory while they are converted to float32 inputs (padded
            // to the input's sample by the transforms) and targets.
            let inputs = Double(count) * max(Double(images.elementCount / count), inputElements) * Self.floatBytes
            let targets = classTargets ? Double(labels.elementCount) * Self.indexBytes : Double(labels.elementCount) * Self.floatBytes
            bytes = Double(images.bodyByteCount + labels.bodyByteCount) + inputs + targets
            detail = "\(count) samples of \(Array(images.dimensions.dropFirst())) from \(imagesPath)"
        case .csv(let path, _, _, let hasHeader, _):
            guard let header = try? CSVFile.readHeader(path: path, hasHeader: hasHeader),
                  let rows = Self.estimatedRowCount(path: path) else { return nil }
            // Every value as float32 and each row's line number while reading; then the feature
            // inputs, the label column and the targets.
            let columns = Double(header.columnCount)
            let perRow = columns * Self.floatBytes + Self.indexBytes + (columns - 1) * Self.floatBytes + Self.floatBytes
                + (classTargets ? Self.indexBytes : Self.floatBytes)
            bytes = Double(rows) * perRow
            detail = "about \(rows) rows of \(header.columnCount) columns from \(path)"
        }
    }

    /// The number of lines of a CSV file (plain or gzip), estimated from its stated length and the
    /// mean length of the lines in its first `csvSampleBytes`.
    static func estimatedRowCount(path: String) -> Int? {
        guard let reader = try? DataFileReader(path: path), let length = try? reader.statedLength(),
              let sample = try? reader.read(count: csvSampleBytes), !sample.isEmpty else { return nil }
        let newline = UInt8(ascii: "\n")
        let newlines = sample.reduce(0) { $0 + ($1 == newline ? 1 : 0) }
        if sample.count < csvSampleBytes { return newlines + (sample.last == newline ? 0 : 1) }
        return Int((Double(length) * Double(max(1, newlines)) / Double(sample.count)).rounded(.up))
    }
}
