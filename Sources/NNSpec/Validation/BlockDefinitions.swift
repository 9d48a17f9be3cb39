/// A block of the spec's `blocks:`: a module class defined once (`BasicBlock`), with typed
/// arguments, instantiated by `{block: BasicBlock, planes: 64}` entries.
struct BlockDefinition {
    /// The class name `print(net)` shows.
    var name: String
    /// The arguments: `int`, `float` or `bool` (required), or a default literal.
    var arguments: [ArgumentSpec]
    /// The block's `layers:` list, before its arguments are written in.
    var layers: YAMLNode
}

extension SpecValidation {
    /// The keys of a layer entry that a block argument may not be named after.
    static let entryKeys: Set<String> = ["name", "type", "call", "use", "block", "from", "repeat", "when", "layers"]

    /// Reads `blocks:`, a mapping of class names to `{arguments: {…}, layers: […]}`.
    mutating func blockDefinitions(_ node: YAMLNode) -> [String: BlockDefinition] {
        guard let pairs = node.pairs else {
            diagnostics.error(
                "blocks must be a mapping of class names to {arguments, layers}, not \(node.kindDescription)", at: node,
                hint: "for example blocks: {BasicBlock: {arguments: {planes: int}, layers: [...]}}")
            return [:]
        }
        var blocks: [String: BlockDefinition] = [:]
        for (name, pair) in MappingFields.namedPairs(pairs, diagnostics: &diagnostics) {
            guard isIdentifier(name) else {
                diagnostics.error("a block name must be a letter or _ followed by letters, digits or _ (a Python class name), not '\(name)'", at: pair.key)
                continue
            }
            guard catalogue.layer(named: name) == nil, name != LayerEntry.sequentialType else {
                diagnostics.error("block '\(name)' has the name of a layer type; choose another class name", at: pair.key)
                continue
            }
            guard let fields = MappingFields(pair.value, known: ["arguments", "layers"], context: "block \(name)", diagnostics: &diagnostics)
            else { continue }
            guard let layers = fields["layers"] else {
                diagnostics.error("block \(name) needs 'layers', the list of its layers", at: pair.key)
                continue
            }
            let arguments = fields["arguments"].map { blockArguments($0, block: name) } ?? []
            blocks[name] = BlockDefinition(name: name, arguments: arguments, layers: layers)
        }
        return blocks
    }

    /// `{inplanes: int, planes: int, stride: 1, downsample: false}`: a type (`int`, `float`, `bool`)
    /// makes an argument required; a literal is its default and gives its type.
    private mutating func blockArguments(_ node: YAMLNode, block: String) -> [ArgumentSpec] {
        guard let pairs = node.pairs else {
            diagnostics.error("block \(block) arguments must be a mapping such as {planes: int, stride: 1}, not \(node.kindDescription)", at: node)
            return []
        }
        var arguments: [ArgumentSpec] = []
        for (name, pair) in MappingFields.namedPairs(pairs, diagnostics: &diagnostics) {
            guard isIdentifier(name), !Self.entryKeys.contains(name) else {
                diagnostics.error(
                    "a block argument name must be a letter or _ followed by letters, digits or _, and not one of \(Self.entryKeys.sorted().joined(separator: ", ")); not '\(name)'",
                    at: pair.key)
                continue
            }
            let text = pair.value.isNull ? "" : pair.value.scalarText ?? ""
            let summary = "an argument of \(block)"
            switch text {
            case "int": arguments.append(ArgumentSpec(name, .integer(.any), summary))
            case "float": arguments.append(ArgumentSpec(name, .real(.any), summary))
            case "bool": arguments.append(ArgumentSpec(name, .boolean, summary))
            case "true", "false": arguments.append(ArgumentSpec(name, .boolean, default: .boolean(text == "true"), summary))
            default:
                if IntegerExpression.looksLikeArithmetic(text), let value = try? IntegerExpression.evaluate(text) {
                    arguments.append(ArgumentSpec(name, .integer(.any), default: .integer(value), summary))
                } else if let value = Double(text), value.isFinite {
                    arguments.append(ArgumentSpec(name, .real(.any), default: .real(value), summary))
                } else {
                    diagnostics.error(
                        "block \(block) argument \(name) must be int, float, bool or a default value such as 1, 0.5 or false, not \(pair.value.kindDescription)",
                        at: pair.value)
                }
            }
        }
        return arguments
    }
}
