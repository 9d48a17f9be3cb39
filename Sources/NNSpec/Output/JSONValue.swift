/// A JSON value, written with stable key order and indentation (the schema, summaries, run reports, every JSON document).
public indirect enum JSONValue: Sendable {
    case string(String)
    case number(Double)
    case integer(Int)
    case boolean(Bool)
    case null
    case array([JSONValue])
    /// Keys in the order written.
    case object([(String, JSONValue)])

    /// Pretty-printed with two-space indentation; lists of plain values stay on one line.
    public func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .string(let text): return jsonString(text)
        case .number(let value): return formatReal(value)
        case .integer(let value): return String(value)
        case .boolean(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.allSatisfy(\.isPlainValue) {
                return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]"
            }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            return "{\n" + fields.map { inner + jsonString($0.0) + ": " + $0.1.rendered(indent: inner) }.joined(separator: ",\n")
                + "\n\(indent)}"
        }
    }

    /// On one line, with a space after each colon and comma.
    func compact() -> String {
        switch self {
        case .array(let items): return "[" + items.map { $0.compact() }.joined(separator: ", ") + "]"
        case .object(let fields): return "{" + fields.map { jsonString($0.0) + ": " + $0.1.compact() }.joined(separator: ", ") + "}"
        default: return rendered()
        }
    }

    /// A JSON document of `kind`: an object whose first fields are `"format": "nnspec.<kind>/1"` and `nnspec_version`.
    static func document(_ kind: String, _ fields: [(String, JSONValue)]) -> JSONValue {
        .object([("format", .string(JSONFormat.identifier(kind))), ("nnspec_version", .string(ToolVersion.current))] + fields)
    }

    private var isPlainValue: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }
}

/// A JSON string literal with the characters JSON requires escaped.
public func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
