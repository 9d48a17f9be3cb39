import NNData

/// Renders diagnostics as compilers do:
///
///     lenet.yaml:12:44: error: fc1 expects in_features 400 but receives 576 (16×6×6) from conv2 → MaxPool2d → Flatten
///       - {name: fc1, type: Linear, in_features: 16*5*5, out_features: 120}
///                                                ^~~~~~
///     hint: …
///
/// with ANSI colours only when asked (the CLI asks when writing to a terminal). Text that comes
/// from the user's files (messages quote it, source lines echo it) has its control characters
/// written out visibly (`\u{1b}`), the caret moved right by what each escape adds.
public struct DiagnosticTextRenderer: Sendable {
    public var colored: Bool

    public init(colored: Bool) {
        self.colored = colored
    }

    /// The diagnostics of one file; `source` is the file's text, for the quoted lines.
    public func render(_ diagnostics: [Diagnostic], source: String) -> String {
        let lines = Self.lines(numbered: Set(diagnostics.compactMap { $0.mark?.line }), in: source)
        return diagnostics.map { render($0, lines: lines) }.joined()
    }

    /// The longest source line echoed under a diagnostic, in characters: a longer one (a whole
    /// flow-style file on one line) would bury the message, so only the message is printed.
    static let maximumEchoedLineLength = 1_000

    /// True when `line` has at most `maximumEchoedLineLength` characters besides carriage returns,
    /// told without walking the whole of a huge line.
    static func isShortEnoughToEcho(_ line: Substring) -> Bool {
        line.unicodeScalars.lazy.filter { $0 != "\r" }.prefix(maximumEchoedLineLength + 1).count <= maximumEchoedLineLength
    }

    /// The lines of `source` whose 1-based numbers are in `wanted`, found in one pass over its bytes
    /// without splitting the whole text (a file of millions of lines stays one scan).
    static func lines(numbered wanted: Set<Int>, in source: String) -> [Int: Substring] {
        guard let last = wanted.max() else { return [:] }
        var lineNumber = 1
        var lineStart = 0
        // Byte offsets of the wanted lines, then substrings (offsets of ASCII newlines are character boundaries).
        var ranges: [(line: Int, start: Int, end: Int)] = []
        var text = source
        text.withUTF8 { bytes in
            for offset in 0..<bytes.count where bytes[offset] == UInt8(ascii: "\n") {
                if wanted.contains(lineNumber) { ranges.append((lineNumber, lineStart, offset)) }
                lineNumber += 1
                lineStart = offset + 1
                if lineNumber > last { return }
            }
            if wanted.contains(lineNumber) { ranges.append((lineNumber, lineStart, bytes.count)) }
        }
        let utf8 = source.utf8
        return Dictionary(uniqueKeysWithValues: ranges.map { range in
            (range.line, source[utf8.index(utf8.startIndex, offsetBy: range.start)..<utf8.index(utf8.startIndex, offsetBy: range.end)])
        })
    }

    private func render(_ diagnostic: Diagnostic, lines: [Int: Substring]) -> String {
        let visible: (String) -> String = VisibleText.escaped
        let location = visible(diagnostic.file) + (diagnostic.mark.map { ":\($0.line):\($0.column)" } ?? "")
        let severity = diagnostic.severity == .error ? paint("error:", "1;31") : paint("warning:", "1;35")
        var text = paint(location + ":", "1") + " " + severity + " " + paint(visible(diagnostic.message), "1") + "\n"
        if let mark = diagnostic.mark, let quoted = lines[mark.line], Self.isShortEnoughToEcho(quoted) {
            let line = quoted.replacing("\r", with: "")
            text += VisibleText.escaped(line) + "\n" + paint(caretLine(under: line, from: mark, to: diagnostic.endMark), "1;32") + "\n"
        }
        for note in diagnostic.notes { text += paint("note:", "1;36") + " " + visible(note) + "\n" }
        if let hint = diagnostic.hint { text += paint("hint:", "1;36") + " " + visible(hint) + "\n" }
        return text
    }

    /// Spaces (tabs kept, so the caret lines up) up to the column, `^`, then `~` to the end mark,
    /// under the line as echoed: an escaped control character widens its column.
    private func caretLine(under line: some StringProtocol, from mark: SourceMark, to end: SourceMark?) -> String {
        let scalars = Array(line.unicodeScalars)
        func width(_ range: Range<Int>) -> Int {
            range.reduce(0) { $0 + ($1 < scalars.count ? VisibleText.escapedWidth(of: scalars[$1]) : 1) }
        }
        var caret = ""
        for index in 0..<(mark.column - 1) {
            if index < scalars.count, scalars[index] == "\t" {
                caret += "\t"
            } else {
                caret += String(repeating: " ", count: width(index..<index + 1))
            }
        }
        caret += "^"
        if let end, end.line == mark.line, end.column > mark.column + 1 {
            caret += String(repeating: "~", count: width(mark.column..<end.column - 1))
        }
        return caret
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
