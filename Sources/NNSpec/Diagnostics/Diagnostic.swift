/// One problem found in a spec: data, rendered elsewhere (text or JSON).
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var message: String
    /// The spec file the problem is in.
    public var file: String
    /// Where the offending value starts; nil for a problem with the file as a whole.
    public var mark: SourceMark?
    /// Where the offending value ends (exclusive) on the same line, for the underline.
    public var endMark: SourceMark?
    /// Further facts: how a value was computed, where a name was first defined.
    public var notes: [String]
    /// A suggested fix.
    public var hint: String?

    public init(
        _ severity: Severity, _ message: String, file: String, mark: SourceMark?, endMark: SourceMark? = nil,
        notes: [String] = [], hint: String? = nil
    ) {
        self.severity = severity
        self.message = message
        self.file = file
        self.mark = mark
        self.endMark = endMark
        self.notes = notes
        self.hint = hint
    }
}

extension Array where Element == Diagnostic {
    /// True when any diagnostic is an error (warnings do not make a spec invalid).
    public var containsError: Bool { contains { $0.severity == .error } }
}
