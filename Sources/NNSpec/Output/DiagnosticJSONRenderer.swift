/// Renders validation results as JSON, one object per file:
///
///     [{"file": "lenet.yaml", "valid": false, "diagnostics": [{"severity": "error", "message": "…",
///       "file": "lenet.yaml", "line": 12, "column": 44, "endLine": 12, "endColumn": 50,
///       "notes": [], "hint": null}]}]
public enum DiagnosticJSONRenderer {
    public static func render(_ results: [(file: String, valid: Bool, diagnostics: [Diagnostic])]) -> String {
        let files = results.map { result in
            "  {\"file\": \(jsonString(result.file)), \"valid\": \(result.valid), \"diagnostics\": ["
                + result.diagnostics.map { "\n    " + object($0) }.joined(separator: ",")
                + (result.diagnostics.isEmpty ? "" : "\n  ") + "]}"
        }
        return "[\n" + files.joined(separator: ",\n") + "\n]\n"
    }

    /// One diagnostic as a JSON object.
    public static func object(_ diagnostic: Diagnostic) -> String {
        var fields = [
            "\"severity\": \(jsonString(diagnostic.severity.rawValue))",
            "\"message\": \(jsonString(diagnostic.message))",
            "\"file\": \(jsonString(diagnostic.file))",
            "\"line\": \(diagnostic.mark.map { String($0.line) } ?? "null")",
            "\"column\": \(diagnostic.mark.map { String($0.column) } ?? "null")",
        ]
        if let end = diagnostic.endMark {
            fields += ["\"endLine\": \(end.line)", "\"endColumn\": \(end.column)"]
        }
        fields.append("\"notes\": [" + diagnostic.notes.map(jsonString).joined(separator: ", ") + "]")
        fields.append("\"hint\": \(diagnostic.hint.map(jsonString) ?? "null")")
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
