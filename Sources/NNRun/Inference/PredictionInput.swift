import NNData
import NNSpec
import NNTensor

/// Input samples whose shape does not fit the spec's `input:`; rendered as a diagnostic at that line.
public struct InputShapeMismatch: Error, CustomStringConvertible {
    /// The data file.
    public let path: String
    /// What one sample of the file holds: "samples [3, 4]", "rows of 5 values".
    public let found: String
    /// What the spec's input needs, and how the file is read.
    public let needed: String

    public var description: String { "\(path) holds \(found), but \(needed)" }
}

/// The samples `nnspec predict --input FILE` feeds, by the file's name:
/// - `.npy` (or `.npy.gz`): float32 `[count, …]`, each sample exactly the spec's input sample,
///   fed as is (no transforms);
/// - `.csv` (or `.csv.gz`): one sample a row, read as the spec's CSV split reads it (its `header`;
///   a row with one value more than the input holds the label in the split's `label_column`,
///   which is left out), then reshaped and transformed as the spec's data;
/// - any other name: IDX images `[count, …]`, reshaped and transformed as the spec's data.
///
/// Every file is read a batch at a time (a CSV file is checked once whole before, keeping nothing).
public enum PredictionInput {
    /// Opens `path` for `spec`; throws `InputShapeMismatch` when its samples cannot become the
    /// spec's input, `DataError` for a file that cannot be read.
    public static func open(_ path: String, for spec: ValidatedSpec) throws -> any SampleStream {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        if name.hasSuffix(".npy") { return try npy(path, for: spec) }
        if name.hasSuffix(".csv") { return try csv(path, for: spec) }
        return try idx(path, for: spec)
    }

    private static func npy(_ path: String, for spec: ValidatedSpec) throws -> any SampleStream {
        let file = try opened { () throws(DataFileError) in try NPYFile(path: path) }
        let inputShape = spec.input.sampleSizes
        guard file.sampleShape == inputShape else {
            throw InputShapeMismatch(path: path, found: "samples \(file.sampleShape) (shape \(file.header.shape))",
                                     needed: "the input takes samples \(inputShape); .npy data is fed as is: save it as [count] + \(inputShape)")
        }
        return FileSampleStream(file: file, origin: path)
    }

    private static func idx(_ path: String, for spec: ValidatedSpec) throws -> any SampleStream {
        let file = try opened { () throws(DataFileError) in try IDXSampleReader(path: path) }
        try requireFit(path, found: "samples \(file.sampleShape)", elements: file.sampleElementCount, spec: spec)
        return PreparedSampleStream(base: FileSampleStream(file: file, origin: path), spec: spec)
    }

    private static func csv(_ path: String, for spec: ValidatedSpec) throws -> any SampleStream {
        let layout = csvLayout(of: spec)
        let file = try opened { () throws(DataFileError) in try CSVRowReader(path: path, hasHeader: layout.header) }
        let needed = try SpecData.sourceSampleShape(for: spec).reduce(1, *)
        let width = file.header.columnCount
        if width == needed + 1, let label = layout.labelColumn.flatMap({ try? file.header.index(of: $0, path: path) }),
            file.selectedColumns.indices.contains(label) {
            file.selectedColumns.remove(at: label)
        }
        try requireFit(path, found: "rows of \(width) values", elements: file.sampleElementCount, spec: spec)
        return PreparedSampleStream(base: FileSampleStream(file: file, origin: path), spec: spec)
    }

    /// `open()`'s result, its failure as a `DataError`.
    private static func opened<File>(_ open: () throws(DataFileError) -> File) throws(DataError) -> File {
        do throws(DataFileError) {
            return try open()
        } catch {
            throw .file(error)
        }
    }

    /// The `header` and `label_column` of the spec's CSV split (train first), or no header and no
    /// label when the spec reads no CSV file. With `target_columns` there is no label column to drop:
    /// the rows must hold the input values only. A label named by the spec is found in the header
    /// row of the file predicted.
    static func csvLayout(of spec: ValidatedSpec) -> (header: Bool, labelColumn: CSVColumn?) {
        for case .csv(_, let labelColumn, let targetColumns, let header, _)? in [spec.data?.train, spec.data?.test] {
            return (header, targetColumns == nil ? labelColumn : nil)
        }
        return (false, nil)
    }

    /// Throws unless samples of `elements` values can be reshaped to the shape the spec's transforms take.
    private static func requireFit(_ path: String, found: String, elements: Int, spec: ValidatedSpec) throws {
        let sourceShape = try SpecData.sourceSampleShape(for: spec)
        guard sourceShape.reduce(1, *) == elements else {
            let transforms = spec.data?.transforms.isEmpty == false ? " before the spec's transforms" : ""
            throw InputShapeMismatch(path: path, found: found,
                                     needed: "the input takes samples of \(sourceShape.reduce(1, *)) values (\(sourceShape))\(transforms)")
        }
    }
}
