/// A data file that cannot be used: missing, unreadable, truncated or malformed.
///
/// The message names the file and where in it the problem was found, so a user can open the file
/// at that place: a byte offset for binary formats (of the decompressed stream for gzip files, with
/// the compressed offset where the gzip layer itself failed), a line and column for text formats.
public struct DataFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where in the file the problem is.
    public enum Location: Equatable, Sendable {
        /// The file as a whole (it does not exist, cannot be opened).
        case file
        /// A byte offset from the start of the (decompressed) data.
        case byte(Int)
        /// A byte offset into the compressed file, where the gzip layer failed.
        case compressedByte(Int)
        /// A 1-based line and column of a text file.
        case text(line: Int, column: Int)
        /// A 1-based line of a text file, as a whole.
        case line(Int)
    }

    public let path: String
    public let location: Location
    public let message: String

    public init(path: String, location: Location, message: String) {
        self.path = path
        self.location = location
        self.message = message
    }

    public var description: String {
        switch location {
        case .file: "\(path): \(message)"
        case .byte(let offset): "\(path): at byte \(offset): \(message)"
        case .compressedByte(let offset): "\(path): at compressed byte \(offset): \(message)"
        case .text(let line, let column): "\(path):\(line):\(column): \(message)"
        case .line(let line): "\(path):\(line): \(message)"
        }
    }
}
