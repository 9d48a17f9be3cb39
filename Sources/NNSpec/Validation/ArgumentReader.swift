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
        var seen: [String: YAMLNode] = [:]
        for pair in pairs {
            guard let key = pair.keyText else {
                diagnostics.error("keys must be plain names, not \(pair.key.kindDescription)", at: pair.key)
                continue
            }
            if let first = seen[key] {
                diagnostics.error(
                    "duplicate key '\(key)'", at: pair.key, notes: ["first written at line \(first.mark.line)"])
                continue
            }
            seen[key] = pair.key
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
        if node.isNull, spec.defaultValue == ArgumentValue.none {
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

/// A value that does not fit its declaration.
struct ValueError: Error {
    var message: String
    var mark: SourceMark
    var endMark: SourceMark?
    var hint: String?

    init(_ message: String, at node: YAMLNode, hint: String? = nil) {
        self.message = message
        self.mark = node.mark
        self.endMark = node.endMark.line == node.mark.line ? node.endMark : nil
        self.hint = hint
    }
}

/// Converts one node to a typed value for an argument kind.
struct ValueParser {
    /// "Conv2d kernel_size": what the value is, for messages.
    let label: String

    func parse(_ node: YAMLNode, as kind: ArgumentSpec.Kind) throws(ValueError) -> ArgumentValue {
        switch kind {
        case .integer(let range):
            return .integer(try integer(node, range))
        case .integerOrAuto(let range):
            if node.scalarText == "auto" { return .auto }
            return .integer(try integer(node, range))
        case .integerPair(let range):
            return try integerPair(node, range)
        case .padding:
            if let word = node.scalarText, word == "same" || word == "valid" { return .text(word) }
            return try integerPair(node, .nonNegative)
        case .integers(let range):
            if let items = node.items {
                guard !items.isEmpty else { throw ValueError("\(label) needs at least one integer", at: node) }
                var values: [Int] = []
                for item in items { values.append(try integer(item, range)) }
                return .integers(values)
            }
            return .integer(try integer(node, range))
        case .real(let range):
            return .real(try real(node, range))
        case .realPair(let range):
            guard let items = node.items, items.count == 2 else {
                throw ValueError("\(label) must be a pair of numbers [a, b], not \(node.kindDescription)", at: node)
            }
            return .realPair(try real(items[0], range), try real(items[1], range))
        case .reals(let range):
            guard let items = node.items else {
                return .reals([try real(node, range)])
            }
            guard !items.isEmpty else { throw ValueError("\(label) needs at least one number", at: node) }
            var values: [Double] = []
            for item in items { values.append(try real(item, range)) }
            return .reals(values)
        case .boolean:
            return .boolean(try boolean(node))
        case .choice(let words):
            guard let word = node.scalarText, words.contains(word) else {
                let given = node.scalarText ?? ""
                throw ValueError(
                    "\(label) must be one of \(words.map { "'\($0)'" }.joined(separator: ", ")), not \(node.kindDescription)",
                    at: node, hint: Suggestion.hint(for: given, in: words))
            }
            return .text(word)
        case .path:
            guard let text = node.scalarText, !node.isNull else {
                throw ValueError("\(label) must be a file path, not \(node.kindDescription)", at: node)
            }
            return .text(text)
        }
    }

    func integer(_ node: YAMLNode, _ range: ArgumentSpec.IntegerRange) throws(ValueError) -> Int {
        guard case .scalar(let text, let isPlain) = node.content, isPlain, !node.isNull else {
            throw ValueError("\(label) must be an integer, not \(node.kindDescription)", at: node)
        }
        let value: Int
        if let literal = Int(text) {
            value = literal
        } else if IntegerExpression.looksLikeArithmetic(text) {
            do {
                value = try IntegerExpression.evaluate(text)
            } catch {
                var problem = ValueError("\(label): \(error.message)", at: node)
                if node.endMark.line == node.mark.line {
                    problem.mark.column += min(error.offset, max(0, node.endMark.column - node.mark.column - 1))
                    problem.endMark = nil
                }
                throw problem
            }
        } else if text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) {
            throw ValueError("\(label) \(text) does not fit a 64-bit integer", at: node)
        } else {
            throw ValueError("\(label) must be an integer, not \(node.kindDescription)", at: node)
        }
        guard range.admits(value) else {
            throw ValueError("\(label) must be \(range.requirement), not \(value)", at: node)
        }
        guard value.magnitude <= UInt(maximumSize) else {
            throw ValueError("\(label) \(value) is larger than the limit \(maximumSize)", at: node)
        }
        return value
    }

    func integerPair(_ node: YAMLNode, _ range: ArgumentSpec.IntegerRange) throws(ValueError) -> ArgumentValue {
        guard let items = node.items else { return .integer(try integer(node, range)) }
        guard items.count == 2 else {
            throw ValueError("\(label) must be an integer or a pair [h, w], not a list of \(items.count)", at: node)
        }
        return .pair(try integer(items[0], range), try integer(items[1], range))
    }

    func real(_ node: YAMLNode, _ range: ArgumentSpec.RealRange) throws(ValueError) -> Double {
        guard case .scalar(let text, let isPlain) = node.content, isPlain, !node.isNull,
            let value = Double(text)
        else {
            throw ValueError("\(label) must be a number, not \(node.kindDescription)", at: node)
        }
        guard value.isFinite else { throw ValueError("\(label) must be a finite number, not \(text)", at: node) }
        guard range.admits(value) else {
            throw ValueError("\(label) must be \(range.requirement), not \(text)", at: node)
        }
        return value
    }

    func boolean(_ node: YAMLNode) throws(ValueError) -> Bool {
        switch node.scalarText {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            throw ValueError("\(label) must be true or false, not \(node.kindDescription)", at: node)
        }
    }
}
