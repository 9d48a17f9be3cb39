/// Text placed in XML and HTML (the report's pages and SVG, JUnit reports): `&`, `<`, `>`, `"` and
/// `'` escaped, control characters (other than tab, newline and carriage return) shown as `\u{…}`,
/// so a spec's names cannot break the markup and the file stays well-formed XML 1.0.
public enum XMLText {
    public static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0x7F ... 0x9F).contains(scalar.value):
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A quoted attribute value.
    public static func attribute(_ text: String) -> String { "\"" + escaped(text) + "\"" }
}
