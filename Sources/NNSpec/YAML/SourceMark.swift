/// A position in a source file, 1-based as an editor counts: `line` 1 is the first line,
/// `column` 1 the first character. Columns count Unicode scalars (libyaml's convention).
public struct SourceMark: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceMark, rhs: SourceMark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}
