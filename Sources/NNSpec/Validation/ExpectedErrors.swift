/// The `# expect-error: TEXT` annotations of a spec meant to be invalid: on each line where an
/// error must point, one annotation per error (`# expect-error: A # expect-error: B` for two).
/// A spec passes when exactly the annotated errors are reported at exactly those lines
/// (warnings are not counted). Shared by the corpus tests and `nnspec test`.
public struct ExpectedErrors: Sendable, Equatable {
    /// Line (1-based) → the texts expected in the messages of that line's errors.
    public var byLine: [Int: [String]]

    public static let marker = "# expect-error:"

    /// The annotations of a spec's source text; lines end at LF, CRLF or CR, as YAML counts them.
    public init(source: String) {
        byLine = [:]
        for (index, line) in source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: Self.marker, omittingEmptySubsequences: false).dropFirst()
            for part in parts {
                byLine[index + 1, default: []].append(String(part).trimmingSpaces)
            }
        }
    }

    public var isEmpty: Bool { byLine.isEmpty }

    /// One difference between the annotations and the reported errors: what was expected and what
    /// was seen, at the annotated line or the line of an unexpected error (nil: the file as a whole).
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        public var line: Int?
        public var message: String

        public var description: String { "line \(line.map(String.init) ?? "-"): \(message)" }
    }

    /// Every difference, in line order; empty when exactly the annotated errors are reported.
    ///
    /// Each annotation needs its own error on its line whose message contains the text (the largest
    /// such pairing is taken, so the order of annotations on a line does not matter). An annotation
    /// met only by an error on another line is reported once, naming both lines.
    public func mismatches(_ diagnostics: [Diagnostic]) -> [Mismatch] {
        let errors = diagnostics.filter { $0.severity == .error }.map { (line: $0.mark?.line, message: $0.message) }
        let annotations = byLine.sorted { $0.key < $1.key }.flatMap { line, texts in texts.map { (line: line, text: $0) } }
        var errorUsed = [Bool](repeating: false, count: errors.count)
        var annotationMet = [Bool](repeating: false, count: annotations.count)
        for line in byLine.keys {
            let onLine = annotations.indices.filter { annotations[$0].line == line }
            let candidates = errors.indices.filter { errors[$0].line == line }
            let pairs = Self.maximumMatching(onLine, candidates) { errors[$1].message.contains(annotations[$0].text) }
            for (annotation, error) in pairs {
                annotationMet[annotation] = true
                errorUsed[error] = true
            }
        }
        var mismatches: [Mismatch] = []
        for (index, annotation) in annotations.enumerated() where !annotationMet[index] {
            let expected = "expected an error containing \"\(annotation.text)\" at line \(annotation.line)"
            if let moved = errors.indices.first(where: { !errorUsed[$0] && errors[$0].message.contains(annotation.text) }) {
                errorUsed[moved] = true
                let place = errors[moved].line.map { "at line \($0)" } ?? "without a line"
                mismatches.append(Mismatch(line: annotation.line, message: "\(expected), but it was reported \(place): \(errors[moved].message)"))
                continue
            }
            let others = errors.filter { $0.line == annotation.line }.map(\.message)
            let seen = others.isEmpty
                ? "no error was reported at line \(annotation.line)"
                : "line \(annotation.line) reported only: \(others.joined(separator: " | "))"
            mismatches.append(Mismatch(line: annotation.line, message: "\(expected), but \(seen)"))
        }
        for (index, error) in errors.enumerated() where !errorUsed[index] {
            let expected = switch error.line {
            case nil: "expected no error in the file as a whole"
            case let line? where byLine[line] != nil: "expected only the annotated errors at line \(line)"
            case let line?: "expected no error at line \(line) (it has no \(Self.marker) annotation)"
            }
            mismatches.append(Mismatch(line: error.line, message: "\(expected), but saw: \(error.message)"))
        }
        return mismatches.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            .map(\.element)
    }

    /// The largest set of (annotation, error) pairs, each used once, among pairs that `fit`
    /// (augmenting paths; a line holds a handful of each, so the cost does not matter).
    private static func maximumMatching(_ annotations: [Int], _ errors: [Int], fit: (Int, Int) -> Bool) -> [(Int, Int)] {
        var annotationOfError: [Int: Int] = [:]
        func augment(_ annotation: Int, visited: inout Set<Int>) -> Bool {
            for error in errors where fit(annotation, error) && !visited.contains(error) {
                visited.insert(error)
                if let holder = annotationOfError[error], !augment(holder, visited: &visited) { continue }
                annotationOfError[error] = annotation
                return true
            }
            return false
        }
        for annotation in annotations {
            var visited = Set<Int>()
            _ = augment(annotation, visited: &visited)
        }
        return annotationOfError.map { ($0.value, $0.key) }
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
