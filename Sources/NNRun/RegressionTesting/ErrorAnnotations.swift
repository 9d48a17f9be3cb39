import Foundation

/// One `# expect-error: TEXT` comment: an error whose message contains `text` must be reported at `line`.
public struct ErrorAnnotation: Sendable, Equatable {
    public var line: Int
    public var text: String

    public init(line: Int, text: String) {
        self.line = line
        self.text = text
    }
}

extension ErrorAnnotation {
    /// The comment that marks an expected error; everything after it on the line is the text.
    public static let marker = "# expect-error:"

    /// Every annotation of a spec's source, in line order; a line may carry several
    /// (`# expect-error: A # expect-error: B`). Lines end at LF, CRLF or CR, as YAML counts them.
    public static func annotations(in source: String) -> [ErrorAnnotation] {
        var annotations: [ErrorAnnotation] = []
        for (index, line) in source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            for part in line.components(separatedBy: marker).dropFirst() {
                annotations.append(ErrorAnnotation(line: index + 1, text: part.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
        return annotations
    }
}
