import NNData

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
        case .moduleName:
            guard let text = node.scalarText, !node.isNull else {
                throw ValueError("\(label) must be a module's name such as tok, not \(node.kindDescription)", at: node)
            }
            return .text(text)
        case .column:
            return .columns([try column(node)])
        case .columns:
            guard let items = node.items else { return .columns([try column(node)]) }
            guard !items.isEmpty else { throw ValueError("\(label) needs at least one column", at: node) }
            var columns: [CSVColumn] = []
            for item in items { columns.append(try column(item)) }
            return .columns(columns)
        }
    }

    /// A CSV column: a plain number is its index (≥ 0); other text, quoted or not, a header name.
    func column(_ node: YAMLNode) throws(ValueError) -> CSVColumn {
        guard case .scalar(let text, let isPlain) = node.content, !node.isNull, !text.isEmpty else {
            throw ValueError("\(label) must be a column index or a header name, not \(node.kindDescription)", at: node)
        }
        if isPlain, text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) {
            return .index(try integer(node, .nonNegative))
        }
        return .name(text)
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
