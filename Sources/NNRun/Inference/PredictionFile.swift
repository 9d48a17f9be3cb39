import Foundation
import NNData
import NNSpec
import NNTensor

/// `nnspec predict --output FILE`: the predictions of every sample, in the format the file's
/// extension names, written a batch at a time into a temporary file that replaces FILE only when
/// complete (`AtomicFileWriter`), so a failed or interrupted run leaves FILE as it was.
///
/// - `.npy`: the raw outputs, float32 [count] + the output's sample shape, loadable with `np.load`.
///   The header dict ends with the comment `# nnspec predictions` (NumPy ignores it), by which
///   nnspec knows its own file.
/// - `.csv`: a header row `predicted,output_0,output_1,…` (`predicted` only where the loss has
///   classes; outputs flattened in row-major order), then one row per sample.
/// - `.json`: `{"format": "nnspec.predictions/1", "spec", "weights", "input", "count",
///   "output_shape", "classes", "predictions": [{"predicted", "output"}, …]}`; `output` nested as
///   the output's sample shape, a non-finite value written as null.
public final class PredictionFile {
    public enum Format: String, CaseIterable, Sendable {
        case npy, csv, json
    }

    /// What the file describes besides the outputs (JSON only).
    public struct Provenance: Sendable {
        public var spec: String
        public var weights: String
        public var input: String

        public init(spec: String, weights: String, input: String) {
            self.spec = spec
            self.weights = weights
            self.input = input
        }
    }

    static let npyComment = "# nnspec predictions"
    static let jsonFormat = "nnspec.predictions/1"

    public let path: String
    public let format: Format
    private let writer: AtomicFileWriter
    private let sampleShape: [Int]
    private let classCount: Int?
    private var rowsWritten = 0

    /// The format `path`'s extension names; throws for any other extension.
    public static func format(of path: String) throws(TrainingError) -> Format {
        guard let format = Format.allCases.first(where: { path.hasSuffix(".\($0.rawValue)") }) else {
            throw .invalidOption("--output \(path): the format is chosen by the extension: .npy, .csv or .json")
        }
        return format
    }

    /// Throws unless `path` may be written: its directory takes a new file, and `path` is absent, or
    /// a regular file that nnspec predict wrote in this format, or a regular file and `force`.
    public static func checkWritable(_ path: String, force: Bool) throws(TrainingError) {
        let format = try format(of: path)
        do throws(FileWriteError) {
            try OutputPath.requireWritable(path)
        } catch {
            throw .output("--output \(path): \(error)")
        }
        guard !force, OutputPath.isRegularFile(path) else { return }
        guard isOwnFile(prefix: leadingBytes(of: path), format: format) else {
            throw .output("--output \(path): the file exists and was not written by nnspec predict; pass --force to replace it")
        }
    }

    /// Starts the temporary file with the format's header for `count` samples of outputs
    /// `sampleShape` (`classCount`: the loss's classes, nil for a loss on values).
    init(path: String, count: Int, sampleShape: [Int], classCount: Int?, provenance: Provenance,
                output: FileOutput = .system) throws(TrainingError) {
        self.path = path
        format = try Self.format(of: path)
        self.sampleShape = sampleShape
        self.classCount = classCount
        do throws(FileWriteError) {
            writer = try AtomicFileWriter(path: path, output: output)
        } catch {
            throw .output("--output \(path): \(error)")
        }
        try append(Data(prologue(count: count, provenance: provenance)))
    }

    /// Appends the rows of `outputs` [n] + sample shape, with their `predicted` classes where the
    /// loss has classes.
    public func append(outputs: Tensor, predicted: [Int]?) throws(TrainingError) {
        let rowSize = sampleShape.reduce(1, *)
        let rows = outputs.shape.first ?? 0
        switch format {
        case .npy:
            try append(Data(NPYFile.encodedBody(outputs.scalars)))
        case .csv, .json:
            var text = ""
            for row in 0..<rows {
                let values = outputs.scalars[row * rowSize ..< (row + 1) * rowSize]
                text += format == .csv ? csvRow(values, predicted: predicted?[row])
                    : jsonRow(values, predicted: predicted?[row], first: rowsWritten + row == 0)
            }
            try append(Data(text.utf8))
        }
        rowsWritten += rows
    }

    /// Ends the file and moves it to `path`.
    public func finish() throws(TrainingError) {
        if format == .json { try append(Data("\n  ]\n}\n".utf8)) }
        do throws(FileWriteError) {
            try writer.commit()
        } catch {
            throw .output("--output \(path): \(error)")
        }
    }

    /// Removes the temporary file; `path` keeps what it held.
    public func discard() { writer.discard() }

    private func append(_ data: Data) throws(TrainingError) {
        do throws(FileWriteError) {
            try writer.append(data)
        } catch {
            throw .output("--output \(path): \(error)")
        }
    }

    private func prologue(count: Int, provenance: Provenance) -> [UInt8] {
        switch format {
        case .npy:
            return NPYHeader(shape: [count] + sampleShape).encoded(comment: Self.npyComment)
        case .csv:
            let outputs = (0..<sampleShape.reduce(1, *)).map { "output_\($0)" }
            return Array(((classCount == nil ? [] : ["predicted"]) + outputs).joined(separator: ",").utf8) + [0x0A]
        case .json:
            let fields: [(String, String)] = [
                ("format", jsonString(Self.jsonFormat)), ("spec", jsonString(provenance.spec)),
                ("weights", jsonString(provenance.weights)), ("input", jsonString(provenance.input)),
                ("count", "\(count)"), ("output_shape", "[\(sampleShape.map(String.init).joined(separator: ", "))]"),
                ("classes", classCount.map(String.init) ?? "null"),
            ]
            return Array(("{\n" + fields.map { "  \"\($0.0)\": \($0.1),\n" }.joined() + "  \"predictions\": [").utf8)
        }
    }

    private func csvRow(_ values: ArraySlice<Float>, predicted: Int?) -> String {
        ((predicted.map { [String($0)] } ?? []) + values.map { "\($0)" }).joined(separator: ",") + "\n"
    }

    private func jsonRow(_ values: ArraySlice<Float>, predicted: Int?, first: Bool) -> String {
        let output = nestedJSON(values, shape: sampleShape[...])
        return (first ? "\n" : ",\n") + "    {"
            + (predicted.map { "\"predicted\": \($0), " } ?? "") + "\"output\": \(output)}"
    }

    /// `values` as nested JSON arrays of `shape` (a number for an empty shape); NaN and ±∞ as null.
    private func nestedJSON(_ values: ArraySlice<Float>, shape: ArraySlice<Int>) -> String {
        guard let size = shape.first else {
            let value = values[values.startIndex]
            return value.isFinite ? "\(value)" : "null"
        }
        let stride = shape.dropFirst().reduce(1, *)
        return "[" + (0..<size).map { index in
            let start = values.startIndex + index * stride
            return nestedJSON(values[start ..< start + stride], shape: shape.dropFirst())
        }.joined(separator: ", ") + "]"
    }

    /// The first 4 KiB of `path` (enough for any header this class writes with a short spec path).
    private static func leadingBytes(of path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: 4096)) ?? Data())
    }

    /// Whether `prefix`, a file's first bytes, starts as this class writes `format`.
    static func isOwnFile(prefix: [UInt8], format: Format) -> Bool {
        let firstLine = String(decoding: prefix.prefix { $0 != 0x0A }, as: UTF8.self)
        switch format {
        case .npy:
            return prefix.starts(with: NPYHeader.magic) && firstLine.hasSuffix(npyComment)
        case .csv:
            let fields = firstLine.split(separator: ",", omittingEmptySubsequences: false)
            let outputs = fields.first == "predicted" ? fields.dropFirst() : fields[...]
            return !outputs.isEmpty && outputs.enumerated().allSatisfy { $1 == "output_\($0)" }
        case .json:
            return String(decoding: prefix, as: UTF8.self).hasPrefix("{\n  \"format\": \(jsonString(jsonFormat)),")
        }
    }
}
