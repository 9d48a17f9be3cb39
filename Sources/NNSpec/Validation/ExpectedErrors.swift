/// The `# expect-error: TEXT` annotations of a spec meant to be invalid: on each line where an
/// error must point, one annotation per error (`# expect-error: A # expect-error: B` for two).
/// A spec passes when exactly the annotated errors are reported at exactly those lines
/// (warnings are not counted). Shared by the corpus tests and `nnspec test`.
public struct ExpectedErrors: Sendable, Equatable {
    /// Line (1-based) → the texts expected in the messages of that line's errors.
    public var byLine: [Int: [String]]

    static let marker = "# expect-error:"

    /// The annotations of a spec's source text.
    public init(source: String) {
        byLine = [:]
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = line.split(separator: Self.marker, omittingEmptySubsequences: false).dropFirst()
            for part in parts {
                byLine[index + 1, default: []].append(String(part).trimmingSpaces)
            }
        }
    }

    public var isEmpty: Bool { byLine.isEmpty }

    /// What differs between the annotations and the reported errors, one line per difference;
    /// empty when exactly the annotated errors are reported at exactly their lines.
    public func mismatches(_ diagnostics: [Diagnostic]) -> [String] {
        var reported: [Int: [String]] = [:]
        for diagnostic in diagnostics where diagnostic.severity == .error {
            reported[diagnostic.mark?.line ?? 0, default: []].append(diagnostic.message)
        }
        var problems: [String] = []
        for line in Set(byLine.keys).union(reported.keys).sorted() {
            let expected = byLine[line] ?? []
            var messages = reported[line] ?? []
            for text in expected {
                if let match = messages.firstIndex(where: { $0.contains(text) }) {
                    messages.remove(at: match)
                } else {
                    problems.append("line \(line): expected an error containing '\(text)'")
                }
            }
            problems += messages.map { "line \(line): unexpected error '\($0)'" }
        }
        return problems
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
