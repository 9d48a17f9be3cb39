/// Text placed in XML (SVG diagrams, JUnit reports).
public enum XMLText {
    /// `text` with XML's special characters as entities, and the control characters XML 1.0
    /// forbids (all below U+0020 but tab, newline and carriage return) as U+FFFD.
    public static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A quoted attribute value.
    public static func attribute(_ text: String) -> String { "\"" + escaped(text) + "\"" }
}
