/// Reads the arguments written in a mapping against their declarations: unknown names (with
/// "did you mean"), missing required ones, wrong types and out-of-range values are reported,
/// and every argument gets a value (the given one, or the default) so checking can go on.
struct ArgumentReader {
    /// What owns the arguments, for messages: "Conv2d", "SGD", "data.train".
    let owner: String
    let specs: [ArgumentSpec]

    /// Reads `pairs`; keys in `reserved` (such as `name`, `type`, `from`) belong to the caller.
    /// `missingAt` is where a missing required argument is reported.
    func read(
        _ pairs: [YAMLPair], reserved: Set<String>, missingAt anchor: YAMLNode, into diagnostics: inout DiagnosticCollector
    ) -> Arguments {
        var given: [String: YAMLNode] = [:]
        for (key, pair) in MappingFields.namedPairs(pairs, diagnostics: &diagnostics) {
            if reserved.contains(key) { continue }
            guard specs.contains(where: { $0.name == key }) else {
                let names = specs.map(\.name) + reserved.sorted()
                diagnostics.error(
                    "\(owner) has no argument '\(key)'", at: pair.key,
                    notes: specs.isEmpty ? ["\(owner) takes no arguments"] : [],
                    hint: Suggestion.hint(for: key, in: names)
                        ?? (specs.isEmpty ? nil : "\(owner) takes: \(specs.map(\.name).joined(separator: ", "))"))
                continue
            }
            given[key] = pair.value
        }
        var entries: [(name: String, value: ArgumentValue)] = []
        for spec in specs {
            if let node = given[spec.name] {
                entries.append((spec.name, value(of: node, for: spec, diagnostics: &diagnostics)))
            } else if let defaultValue = spec.defaultValue {
                entries.append((spec.name, defaultValue))
            } else {
                diagnostics.error(
                    "\(owner) needs '\(spec.name)' (\(spec.typeDescription))", at: anchor,
                    notes: [spec.summary])
                entries.append((spec.name, .none))
            }
        }
        return Arguments(entries: entries, nodes: given)
    }

    /// The typed value of `node`, or the default (`.none` for a required one) after reporting why not.
    func value(of node: YAMLNode, for spec: ArgumentSpec, diagnostics: inout DiagnosticCollector) -> ArgumentValue {
        let label = "\(owner) \(spec.name)"
        if node.isNull, spec.acceptsNone {
            return .none
        }
        let fallback = spec.defaultValue ?? .none
        do {
            return try ValueParser(label: label).parse(node, as: spec.kind)
        } catch {
            diagnostics.add(
                .error, error.message, mark: error.mark, endMark: error.endMark, hint: error.hint)
            return fallback
        }
    }
}
