/// A Python expression model.py writes, nested calls included (a container of containers), so that
/// it can be split over lines as `black` splits it.
indirect enum PythonExpression {
    /// Text that is never split: a name, a literal, `key=value` with an unsplittable value.
    case atom(String)
    /// `head items… close`: a call (`callee(`, `)`), a list (`[`, `]`) or a tuple (`(`, `)`).
    case bracketed(String, [PythonExpression], String)

    /// `callee(arguments…)`.
    static func call(_ callee: String, _ arguments: [PythonExpression]) -> PythonExpression {
        .bracketed(callee + "(", arguments, ")")
    }

    /// `[items…]`.
    static func list(_ items: [PythonExpression]) -> PythonExpression { .bracketed("[", items, "]") }

    /// The argument `name=value`.
    static func keyword(_ name: String, _ value: PythonExpression) -> PythonExpression {
        switch value {
        case .atom(let text): .atom(name + "=" + text)
        case .bracketed(let head, let items, let close): .bracketed(name + "=" + head, items, close)
        }
    }

    /// The expression on one line.
    var flat: String {
        switch self {
        case .atom(let text): text
        case .bracketed(let head, let items, let close): head + items.map(\.flat).joined(separator: ", ") + close
        }
    }

    /// `prefix expression suffix` at `indent` spaces, as black writes it: one line when it fits;
    /// else the items on one indented line between the brackets when they fit there; else one item
    /// a line, each followed by a comma (none after a lone item) and itself split the same way.
    func lines(prefix: String = "", suffix: String = "", indent: Int) -> [String] {
        let margin = String(repeating: " ", count: indent)
        let single = margin + prefix + flat + suffix
        guard single.count > PythonSyntax.lineLength, case .bracketed(let head, let items, let close) = self, !items.isEmpty else {
            return [single]
        }
        let opening = margin + prefix + head
        let joined = margin + "    " + items.map(\.flat).joined(separator: ", ")
        if joined.count <= PythonSyntax.lineLength {
            return [opening, joined, margin + close + suffix]
        }
        let comma = items.count == 1 ? "" : ","
        return [opening] + items.flatMap { $0.lines(suffix: comma, indent: indent + 4) } + [margin + close + suffix]
    }
}
