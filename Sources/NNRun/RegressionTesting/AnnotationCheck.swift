/// Compares the errors a validation reported with a spec's `# expect-error:` annotations.
///
/// The spec passes when each annotation is met by its own error at the annotated line whose
/// message contains the annotation's text, and no error is left over. A spec without annotations
/// therefore passes only when it reports no error at all.
public enum AnnotationCheck {
    /// An error as validation reported it: its line (nil for the file as a whole) and message.
    public struct ReportedError: Sendable, Equatable {
        public var line: Int?
        public var message: String

        public init(line: Int?, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// One failure per unmet annotation and per unexpected error, in line order. An annotation
    /// met only by an error at another line is reported once, naming both lines.
    public static func failures(expected annotations: [ErrorAnnotation], reported errors: [ReportedError]) -> [ExpectationFailure] {
        var errorUsed = [Bool](repeating: false, count: errors.count)
        var annotationMet = [Bool](repeating: false, count: annotations.count)
        for line in Set(annotations.map(\.line)) {
            let annotationIndices = annotations.indices.filter { annotations[$0].line == line }
            let errorIndices = errors.indices.filter { errors[$0].line == line }
            let matching = maximumMatching(annotationIndices, errorIndices) { errors[$1].message.contains(annotations[$0].text) }
            for (annotation, error) in matching {
                annotationMet[annotation] = true
                errorUsed[error] = true
            }
        }
        var failures: [ExpectationFailure] = []
        for (index, annotation) in annotations.enumerated() where !annotationMet[index] {
            let quoted = "an error containing \"\(annotation.text)\""
            if let moved = errors.indices.first(where: { !errorUsed[$0] && errors[$0].message.contains(annotation.text) }) {
                errorUsed[moved] = true
                let seenAt = errors[moved].line.map { "at line \($0)" } ?? "without a line"
                failures.append(ExpectationFailure(
                    line: annotation.line,
                    "expected \(quoted) at line \(annotation.line), but it was reported \(seenAt): \(errors[moved].message)"))
                continue
            }
            let others = errors.filter { $0.line == annotation.line }.map(\.message)
            let seen = others.isEmpty
                ? "no error was reported at line \(annotation.line)"
                : "line \(annotation.line) reported only: \(others.joined(separator: " | "))"
            failures.append(ExpectationFailure(line: annotation.line, "expected \(quoted) at line \(annotation.line), but \(seen)"))
        }
        for (index, error) in errors.enumerated() where !errorUsed[index] {
            let place = error.line.map { "at line \($0)" } ?? "in the file"
            failures.append(ExpectationFailure(
                line: error.line, "expected no error \(place) (it has no \(ErrorAnnotation.marker) annotation), but saw: \(error.message)"))
        }
        return failures.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
    }

    /// The largest set of (annotation, error) pairs with each used once, among pairs that `fits`
    /// (augmenting paths; a line holds a handful of each, so the cost does not matter).
    private static func maximumMatching(_ annotations: [Int], _ errors: [Int], fits: (Int, Int) -> Bool) -> [(Int, Int)] {
        var annotationOfError: [Int: Int] = [:]
        func augment(_ annotation: Int, visited: inout Set<Int>) -> Bool {
            for error in errors where fits(annotation, error) && !visited.contains(error) {
                visited.insert(error)
                if let holder = annotationOfError[error] {
                    guard augment(holder, visited: &visited) else { continue }
                }
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
