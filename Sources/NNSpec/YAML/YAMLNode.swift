/// One value of a YAML document with the place it was written.
///
/// Aliases are resolved: an alias node holds a copy of its anchor's content (arrays share
/// storage, so this costs nothing) and the alias's own mark.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        /// A scalar's text; `isPlain` is false for quoted and block scalars, which are always strings.
        case scalar(String, isPlain: Bool)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    /// Where the value starts.
    public var mark: SourceMark
    /// Where the value ends (exclusive), for underlining a whole value.
    public var endMark: SourceMark

    public init(_ content: Content, mark: SourceMark, endMark: SourceMark) {
        self.content = content
        self.mark = mark
        self.endMark = endMark
    }

    /// The scalar's text, or nil for a collection.
    public var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The sequence's items, or nil.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The mapping's pairs in document order, or nil.
    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// A plain scalar that YAML reads as null (`~`, `null`, or nothing).
    public var isNull: Bool {
        if case .scalar(let text, true) = content {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// What the value is, in words for messages: "a mapping", "a list", "the text 'abc'".
    public var kindDescription: String {
        switch content {
        case .scalar(let text, _): return isNull ? "nothing" : "'\(text)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// A mapping entry: key and value nodes keep their own marks.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }

    /// The key's text when the key is a scalar.
    public var keyText: String? { key.scalarText }
}
