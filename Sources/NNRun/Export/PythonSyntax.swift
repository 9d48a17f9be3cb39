import NNData
import NNSpec

/// Python source as `black` formats it (line length 88, double quotes): literals of argument
/// values, identifiers, and calls split over lines only when they do not fit.
enum PythonSyntax {
    static let lineLength = 88

    /// Python's keywords: a layer named so cannot be an attribute written `self.name`.
    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
        "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    /// True when `name` can be written as `self.name` and as a variable: a letter or _ first, then
    /// letters, digits or _, and not a keyword.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        let allowed = name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
        return allowed && !keywords.contains(name)
    }

    /// A string literal in double quotes.
    static func string(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default:
                escaped += scalar.value < 0x20 || scalar.value == 0x7f ? String(format: "\\x%02x", scalar.value) : String(scalar)
            }
        }
        return "\"\(escaped)\""
    }

    /// A float as Python's `repr` writes it (Swift's shortest round-trip text is the same), and
    /// `float("inf")` / `float("nan")` for the others.
    static func float(_ value: Double) -> String {
        if value.isNaN { return "float(\"nan\")" }
        if value.isInfinite { return value > 0 ? "float(\"inf\")" : "float(\"-inf\")" }
        return "\(value)"
    }

    /// A tuple: `(4,)` for one element, `(4, 5)` for more.
    static func tuple(_ items: [String]) -> String {
        items.count == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ", ") + ")"
    }

    /// A CSV column as train.py names it: its index, or its header name as a string.
    static func column(_ column: CSVColumn) -> String {
        switch column {
        case .index(let index): String(index)
        case .name(let name): string(name)
        }
    }

    /// The Python value of a resolved argument; lists of reals (a loss's per-class weights) are tensors.
    static func literal(_ value: ArgumentValue) -> String {
        switch value {
        case .integer(let value): String(value)
        case .pair(let first, let second): tuple([String(first), String(second)])
        case .real(let value): float(value)
        case .realPair(let first, let second): tuple([float(first), float(second)])
        case .boolean(let value): value ? "True" : "False"
        case .text(let text): string(text)
        case .integers(let values): tuple(values.map(String.init))
        case .reals(let values): "torch.tensor([" + values.map(float).joined(separator: ", ") + "])"
        case .columns(let columns): "[" + columns.map(column).joined(separator: ", ") + "]"
        case .none, .auto: "None"
        }
    }

    /// `name=value` for each argument whose value differs from its declared default, in declaration order.
    /// `listsAsWritten: false` writes a one-or-many integer argument given as one integer as a
    /// one-item tuple (SequentialLR's `milestones: 5`, which PyTorch takes as a list only).
    static func keywordArguments(_ arguments: Arguments, declared: [ArgumentSpec], listsAsWritten: Bool = true) -> [String] {
        declared.compactMap { spec in
            guard let value = arguments[spec.name], value != spec.defaultValue else { return nil }
            if !listsAsWritten, case .integers = spec.kind, case .integer(let single) = value {
                return "\(spec.name)=\(tuple([String(single)]))"
            }
            return "\(spec.name)=\(literal(value))"
        }
    }

    /// `prefix callee(arguments)` at `indent` spaces, as black writes it (see `bracketed`).
    static func call(_ callee: String, _ arguments: [String], prefix: String = "", indent: Int) -> [String] {
        bracketed(prefix + callee + "(", arguments, ")", indent: indent)
    }

    /// `head items… close` at `indent` spaces, as black writes it: one line when it fits; else, for a
    /// call's arguments, the items on one indented line between the brackets when they fit there;
    /// else one item a line, each with a trailing comma (always so for a list, tuple or dict literal).
    static func bracketed(_ head: String, _ items: [String], _ close: String, indent: Int, literal: Bool = false) -> [String] {
        let margin = String(repeating: " ", count: indent)
        let joined = items.joined(separator: ", ")
        let single = margin + head + joined + close
        if single.count <= lineLength { return [single] }
        let inner = margin + "    "
        if !literal, inner.count + joined.count <= lineLength {
            return [margin + head, inner + joined, margin + close]
        }
        return [margin + head] + items.map { inner + $0 + "," } + [margin + close]
    }
}
