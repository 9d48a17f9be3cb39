/// Renders validation results as JSON documents (docs/json-output.md): `nnspec validate`'s, one
/// entry per file with one diagnostic per line,
///
///     {"format": "nnspec.validate/1", "nnspec_version": "0.1.0", "valid": false, "files": [
///       {"file": "lenet.yaml", "valid": false, "diagnostics": [
///         {"severity": "error", "message": "…", "file": "lenet.yaml", "line": 12, "column": 44,
///          "endLine": 12, "endColumn": 50, "notes": [], "hint": null}
///       ]}
///     ]}
///
/// and the diagnostics as values for other documents (`nnspec summary`'s).
public enum DiagnosticJSONRenderer {
    public static func render(_ results: [(file: String, valid: Bool, diagnostics: [Diagnostic])]) -> String {
        let files = results.map { result in
            "  {\"file\": \(jsonString(result.file)), \"valid\": \(result.valid), \"diagnostics\": ["
                + result.diagnostics.map { "\n    " + object($0).compact() }.joined(separator: ",")
                + (result.diagnostics.isEmpty ? "" : "\n  ") + "]}"
        }
        let header = "{\"format\": \(jsonString(JSONFormat.identifier("validate"))), \"nnspec_version\": \(jsonString(ToolVersion.current)), "
            + "\"valid\": \(results.allSatisfy(\.valid)), \"files\": ["
        return header + (files.isEmpty ? "" : "\n" + files.joined(separator: ",\n") + "\n") + "]}\n"
    }

    /// One diagnostic as a JSON object; `endLine` and `endColumn` only where the problem's extent is known.
    static func object(_ diagnostic: Diagnostic) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("severity", .string(diagnostic.severity.rawValue)),
            ("message", .string(diagnostic.message)),
            ("file", .string(diagnostic.file)),
            ("line", diagnostic.mark.map { .integer($0.line) } ?? .null),
            ("column", diagnostic.mark.map { .integer($0.column) } ?? .null),
        ]
        if let end = diagnostic.endMark {
            fields += [("endLine", .integer(end.line)), ("endColumn", .integer(end.column))]
        }
        fields.append(("notes", .array(diagnostic.notes.map(JSONValue.string))))
        fields.append(("hint", diagnostic.hint.map(JSONValue.string) ?? .null))
        return .object(fields)
    }
}
