/// Writes a block instance's argument values into a copy of the block's layers.
enum BlockArguments {
    /// Keys whose values are names, never argument references.
    static let nameKeys: Set<String> = ["name", "type", "call", "use", "block", "from"]

    /// `node` with `values` written in: a scalar that is an argument's name gets its value
    /// (`planes` → `64`), and arithmetic of argument names gets them in parentheses (`planes*4` →
    /// `(64)*4`). Names (`name:`, `type:`, `from:` …) are left alone. Marks stay, so a problem
    /// points at the line inside the block's definition.
    static func substituting(_ values: [String: String], in node: YAMLNode) -> YAMLNode {
        var copy = node
        switch node.content {
        case .scalar(let text, let isPlain):
            if isPlain, let written = substituted(text, values) { copy.content = .scalar(written, isPlain: true) }
        case .sequence(let items):
            copy.content = .sequence(items.map { substituting(values, in: $0) })
        case .mapping(let pairs):
            copy.content = .mapping(pairs.map { pair in
                nameKeys.contains(pair.keyText ?? "") ? pair : YAMLPair(key: pair.key, value: substituting(values, in: pair.value))
            })
        }
        return copy
    }

    /// The text with argument names replaced, or nil when it names none (or is not arithmetic of names).
    private static func substituted(_ text: String, _ values: [String: String]) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-*/() ")
        guard !text.isEmpty, text.allSatisfy(allowed.contains) else { return nil }
        if let value = values[text] { return value }
        var result = "", word = "", replaced = false
        func flush() {
            if let value = values[word], !(word.first?.isNumber ?? true) {
                result += "(\(value))"
                replaced = true
            } else {
                result += word
            }
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return replaced ? result : nil
    }
}
