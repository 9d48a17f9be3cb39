import NNData

/// Why data for a run cannot be made: a bad file, or settings that do not fit the data.
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// A missing, truncated or malformed file; the message names the file and the offset.
    case file(DataFileError)
    /// Settings that do not fit the data or each other; the message names the values.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .file(let error): error.description
        case .invalidArgument(let message): message
        }
    }
}
