/// A UTF-8 text file (plain or gzip-compressed) as its Unicode scalars, for the text data source.
///
/// Read whole through `DataFileReader` (regular files only), at most `maximumBytes` bytes of text,
/// so memory is bounded whatever the file holds. Bytes that are not UTF-8 are an error at their
/// line and column (columns count characters, from 1). A carriage return before a line feed is
/// dropped (Windows line ends), as Python's text mode does.
public struct TextFile: Sendable {
    /// 16 MiB of text: a character-level corpus of this size trains for hours on a CPU.
    public static let maximumBytes = 1 << 24

    public let path: String
    /// The text, "\n" included.
    public let scalars: [Unicode.Scalar]

    /// Reads and decodes `path`; throws a located `DataFileError` for invalid UTF-8 or a text
    /// longer than `maximumBytes`.
    public static func read(path: String, maximumBytes: Int = maximumBytes) throws(DataFileError) -> TextFile {
        let reader = try DataFileReader(path: path)
        let bytes = try reader.read(count: maximumBytes + 1)
        guard bytes.count <= maximumBytes else {
            throw DataFileError(path: path, location: .file,
                                message: "the text is longer than \(maximumBytes) bytes, the most a text source reads")
        }
        return TextFile(path: path, scalars: try decoded(bytes, path: path))
    }

    /// The lines of the text, without their "\n" (a last line without one counts; an empty file has none).
    public var lines: [ArraySlice<Unicode.Scalar>] {
        var lines = scalars.split(separator: "\n", omittingEmptySubsequences: false)
        if scalars.last == "\n" || scalars.isEmpty { lines.removeLast() }
        return lines
    }

    private static func decoded(_ bytes: [UInt8], path: String) throws(DataFileError) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var (line, column) = (1, 1)
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    if scalars.last == "\r" { scalars.removeLast() }
                    (line, column) = (line + 1, 1)
                } else {
                    column += 1
                }
                scalars.append(scalar)
            case .emptyInput:
                return scalars
            case .error:
                throw DataFileError(path: path, location: .text(line: line, column: column), message: "the text is not valid UTF-8 here")
            }
        }
    }
}
