/// The entries of a mapping whose keys are a fixed set (the top level, `data:`, `train:` …):
/// unknown keys get a "did you mean", duplicates are reported, and values are found by key.
struct MappingFields {
    private(set) var values: [String: YAMLNode] = [:]

    /// Reads `node` as a mapping of `known` keys; `context` names it in messages ("the spec", "data").
    /// Returns nil after reporting when `node` is not a mapping.
    init?(_ node: YAMLNode, known: [String], context: String, diagnostics: inout DiagnosticCollector) {
        guard let pairs = node.pairs else {
            diagnostics.error(
                "\(context) must be a mapping of \(known.joined(separator: ", ")), not \(node.kindDescription)", at: node)
            return nil
        }
        for (key, pair) in Self.namedPairs(pairs, diagnostics: &diagnostics) {
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

    /// The pairs whose keys are plain names, each name once; a key that is not a scalar, or a
    /// name written a second time, is reported and left out.
    static func namedPairs(_ pairs: [YAMLPair], diagnostics: inout DiagnosticCollector) -> [(key: String, pair: YAMLPair)] {
        var firstLines: [String: Int] = [:]
        var named: [(key: String, pair: YAMLPair)] = []
        for pair in pairs {
            guard let key = pair.keyText else {
                diagnostics.error("keys must be plain names, not \(pair.key.kindDescription)", at: pair.key)
                continue
            }
            if let firstLine = firstLines[key] {
                diagnostics.error("duplicate key '\(key)'", at: pair.key, notes: ["first written at line \(firstLine)"])
                continue
            }
            firstLines[key] = pair.key.mark.line
            named.append((key, pair))
        }
        return named
    }
}
