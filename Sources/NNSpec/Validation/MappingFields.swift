/// The entries of a mapping whose keys are a fixed set (the top level, `data:`, `train:` …):
/// unknown keys get a "did you mean", duplicates are reported, and values are found by key.
struct MappingFields {
    private(set) var values: [String: YAMLNode] = [:]
    private(set) var keyNodes: [String: YAMLNode] = [:]

    /// Reads `node` as a mapping of `known` keys; `context` names it in messages ("the spec", "data").
    /// Returns nil after reporting when `node` is not a mapping.
    init?(_ node: YAMLNode, known: [String], context: String, diagnostics: inout DiagnosticCollector) {
        guard let pairs = node.pairs else {
            diagnostics.error(
                "\(context) must be a mapping of \(known.joined(separator: ", ")), not \(node.kindDescription)", at: node)
            return nil
        }
        for pair in pairs {
            guard let key = pair.keyText else {
                diagnostics.error("keys must be plain names, not \(pair.key.kindDescription)", at: pair.key)
                continue
            }
            if let first = keyNodes[key] {
                diagnostics.error("duplicate key '\(key)'", at: pair.key, notes: ["first written at line \(first.mark.line)"])
                continue
            }
            keyNodes[key] = pair.key
            guard known.contains(key) else {
                diagnostics.error(
                    "unknown key '\(key)' in \(context)", at: pair.key,
                    hint: Suggestion.hint(for: key, in: known) ?? "known keys: \(known.joined(separator: ", "))")
                continue
            }
            values[key] = pair.value
        }
    }

    subscript(key: String) -> YAMLNode? { values[key] }
}
