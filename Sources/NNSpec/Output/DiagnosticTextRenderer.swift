/// Renders diagnostics as compilers do:
///
///     lenet.yaml:12:44: error: fc1 expects in_features 400 but receives 576 (16×6×6) from conv2 → MaxPool2d → Flatten
///       - {name: fc1, type: Linear, in_features: 16*5*5, out_features: 120}
///                                                ^~~~~~
///     hint: …
///
/// with ANSI colours only when asked (the CLI asks when writing to a terminal).
public struct DiagnosticTextRenderer: Sendable {
    public var colored: Bool

    public init(colored: Bool) {
        self.colored = colored
    }

    /// The diagnostics of one file; `source` is the file's text, for the quoted lines.
    public func render(_ diagnostics: [Diagnostic], source: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        return diagnostics.map { render($0, lines: lines) }.joined()
    }

    private func render(_ diagnostic: Diagnostic, lines: [Substring]) -> String {
        let location = diagnostic.mark.map { "\(diagnostic.file):\($0.line):\($0.column)" } ?? diagnostic.file
        let severity = diagnostic.severity == .error ? paint("error:", "1;31") : paint("warning:", "1;35")
        var text = paint(location + ":", "1") + " " + severity + " " + paint(diagnostic.message, "1") + "\n"
        if let mark = diagnostic.mark, mark.line >= 1, mark.line <= lines.count {
            let line = lines[mark.line - 1].replacing("\r", with: "")
            text += line + "\n" + paint(caretLine(under: line, from: mark, to: diagnostic.endMark), "1;32") + "\n"
        }
        for note in diagnostic.notes { text += paint("note:", "1;36") + " " + note + "\n" }
        if let hint = diagnostic.hint { text += paint("hint:", "1;36") + " " + hint + "\n" }
        return text
    }

    /// Spaces (tabs kept, so the caret lines up) up to the column, `^`, then `~` to the end mark.
    private func caretLine(under line: some StringProtocol, from mark: SourceMark, to end: SourceMark?) -> String {
        let scalars = Array(line.unicodeScalars)
        var caret = ""
        for index in 0..<(mark.column - 1) {
            caret += index < scalars.count && scalars[index] == "\t" ? "\t" : " "
        }
        caret += "^"
        if let end, end.line == mark.line, end.column > mark.column + 1 {
            caret += String(repeating: "~", count: end.column - mark.column - 1)
        }
        return caret
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
