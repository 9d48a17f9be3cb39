import NNData
import NNSpec

/// Why a spec cannot be exported, located in the spec where a layer or value is to blame.
public struct ExportError: Error, Equatable, CustomStringConvertible {
    /// The spec file or output path the error is about.
    public let file: String
    /// Where the spec writes the offending layer; nil for problems of the whole spec or an output.
    public let mark: SourceMark?
    public let message: String

    public init(file: String, mark: SourceMark? = nil, _ message: String) {
        self.file = file
        self.mark = mark
        self.message = message
    }

    /// `file:line:col: error: message`, as the validator's diagnostics read (control characters of
    /// the spec's names and paths shown escaped, not sent).
    public var description: String { VisibleText.escaped("\(file)\(mark.map { ":\($0)" } ?? ""): error: \(message)") }
}
