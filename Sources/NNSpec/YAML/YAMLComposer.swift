// libyaml's C API, as Yams's own `CYaml` target. It is not a product of Yams, so it cannot be
// named in Package.swift; NNSpec reaches it through its dependency on the `Yams` product: SwiftPM
// builds a target's whole dependency closure and hands every C target's module map in it to the
// compiler, so a target may import any module of that closure (the build passes
// `--explicit-target-dependency-import-check error`). Yams's public API offers only its composer,
// which a "billion laughs" file stalls (see below), so the events are walked here.
import CYaml

/// Turns YAML text into one `YAMLNode` tree by walking libyaml's events (libyaml is the C parser
/// Yams carries as its `CYaml` module).
///
/// Walking the events here rather than calling `Yams.compose` gives what a spec needs and Yams's
/// composer cannot: every node's start and end mark; refusal of tags at the tag; an alias budget
/// counted as aliases are met (Yams shares aliased nodes, but its duplicate-key check hashes keys
/// recursively, so an aliased key of a "billion laughs" file would take hours); a nesting limit
/// with an explicit stack instead of recursion, so no input can exhaust the call stack; a node
/// budget, so a huge file is refused after a fixed amount of work and memory.
public struct YAMLComposer: Sendable {
    /// Nodes that aliases may add to the document, all aliases together.
    public var aliasExpansionBudget: Int
    /// Deepest nesting of collections accepted.
    public var maximumDepth: Int
    /// Nodes (scalars and collections, aliases expanded) a document may hold; a spec of a thousand
    /// layers has about ten thousand.
    public var nodeBudget: Int

    public init(aliasExpansionBudget: Int = 10_000, maximumDepth: Int = 64, nodeBudget: Int = 200_000) {
        self.aliasExpansionBudget = aliasExpansionBudget
        self.maximumDepth = maximumDepth
        self.nodeBudget = nodeBudget
    }

    /// A problem that stops composition, with where it is.
    public struct Failure: Error, Sendable {
        public var message: String
        public var mark: SourceMark
        public var notes: [String]
        public var hint: String?
    }

    /// Composes the single document in `bytes` (UTF-8, UTF-16 with a BOM).
    /// Returns nil for an empty stream.
    public func compose(_ bytes: [UInt8]) throws(Failure) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Failure(message: "cannot initialise the YAML parser", mark: SourceMark(line: 1, column: 1), notes: [])
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var walk = EventWalk(budget: aliasExpansionBudget, maximumDepth: maximumDepth, nodeBudget: nodeBudget, bytes: buffer)
            return try walk.run(&parser)
        }
    }
}

/// The state of one composition: open collections, anchors, the alias expansion spent.
private struct EventWalk {
    /// A collection being read.
    struct Frame {
        var isMapping: Bool
        var mark: SourceMark
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        /// Nodes in this collection with aliases expanded, itself included.
        var size = 1
    }

    let budget: Int
    let maximumDepth: Int
    let nodeBudget: Int
    let bytes: UnsafeBufferPointer<UInt8>
    var stack: [Frame] = []
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    var expansion = 0
    /// Nodes composed so far, aliases expanded.
    var nodes = 0
    var root: YAMLNode?
    var documents = 0

    init(budget: Int, maximumDepth: Int, nodeBudget: Int, bytes: UnsafeBufferPointer<UInt8>) {
        self.budget = budget
        self.maximumDepth = maximumDepth
        self.nodeBudget = nodeBudget
        self.bytes = bytes
    }

    mutating func run(_ parser: inout yaml_parser_t) throws(YAMLComposer.Failure) -> YAMLNode? {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw syntaxFailure(parser)
            }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw YAMLComposer.Failure(
                        message: "a spec is one YAML document, but a second one starts here",
                        mark: mark(event.start_mark), notes: [], hint: "remove the `---` line and what follows")
                }
            case YAML_SCALAR_EVENT:
                try refuseTag(event.data.scalar.tag, at: event.start_mark)
                try count(1, at: event.start_mark)
                let scalar = event.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let node = YAMLNode(
                    .scalar(text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE),
                    mark: mark(event.start_mark), endMark: mark(event.end_mark))
                try attach(node, size: 1, anchor: string(scalar.anchor))
            case YAML_ALIAS_EVENT:
                let name = string(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw YAMLComposer.Failure(
                        message: "alias '*\(name)' names no anchor defined before it", mark: mark(event.start_mark),
                        notes: [], hint: anchors.isEmpty ? nil : "defined anchors: \(anchors.keys.sorted().joined(separator: ", "))")
                }
                expansion += target.size
                if expansion > budget {
                    throw YAMLComposer.Failure(
                        message: "aliases expand the document past the limit of \(budget) nodes",
                        mark: mark(event.start_mark),
                        notes: ["'*\(name)' alone stands for \(target.size) nodes"],
                        hint: "a spec is data: write the values out, or alias smaller parts")
                }
                try count(target.size, at: event.start_mark)
                var node = target.node
                node.mark = mark(event.start_mark)
                node.endMark = mark(event.end_mark)
                try attach(node, size: target.size, anchor: nil)
            case YAML_SEQUENCE_START_EVENT:
                try refuseTag(event.data.sequence_start.tag, at: event.start_mark)
                try open(isMapping: false, anchor: string(event.data.sequence_start.anchor), at: event.start_mark)
            case YAML_MAPPING_START_EVENT:
                try refuseTag(event.data.mapping_start.tag, at: event.start_mark)
                try open(isMapping: true, anchor: string(event.data.mapping_start.anchor), at: event.start_mark)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let frame = stack.removeLast()
                let content: YAMLNode.Content = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
                try attach(YAMLNode(content, mark: frame.mark, endMark: mark(event.end_mark)), size: frame.size, anchor: frame.anchor)
            default:
                break
            }
        }
    }

    /// Adds `added` nodes to the document's count; throws at `position` past the node budget.
    mutating func count(_ added: Int, at position: yaml_mark_t) throws(YAMLComposer.Failure) {
        nodes += added
        guard nodes <= nodeBudget else {
            throw YAMLComposer.Failure(
                message: "the document has more than \(nodeBudget) values; a spec is a page of text",
                mark: mark(position), notes: [], hint: "check that this file is the spec you meant")
        }
    }

    mutating func open(isMapping: Bool, anchor: String?, at position: yaml_mark_t) throws(YAMLComposer.Failure) {
        try count(1, at: position)
        guard stack.count < maximumDepth else {
            throw YAMLComposer.Failure(
                message: "values are nested deeper than \(maximumDepth) levels", mark: mark(position), notes: [])
        }
        stack.append(Frame(isMapping: isMapping, mark: mark(position), anchor: anchor))
    }

    /// Adds a finished node to the innermost open collection (or makes it the root).
    mutating func attach(_ node: YAMLNode, size: Int, anchor: String?) throws(YAMLComposer.Failure) {
        if let anchor {
            anchors[anchor] = (node, size)
        }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].size += size
        if stack[top].isMapping {
            if let key = stack[top].pendingKey {
                stack[top].pairs.append(YAMLPair(key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        } else {
            stack[top].items.append(node)
        }
    }

    func refuseTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, at position: yaml_mark_t) throws(YAMLComposer.Failure) {
        guard let tag = string(tag) else { return }
        throw YAMLComposer.Failure(
            message: "YAML tags are not allowed: '\(tag)'", mark: mark(position),
            notes: ["a spec is data, never code: tags could ask for objects to be constructed"],
            hint: "remove the tag and write the plain value")
    }

    func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    func mark(_ position: yaml_mark_t) -> SourceMark {
        SourceMark(line: Int(position.line) + 1, column: Int(position.column) + 1)
    }

    /// libyaml's reader, scanner and parser errors as a located failure.
    func syntaxFailure(_ parser: yaml_parser_t) -> YAMLComposer.Failure {
        let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
        if parser.error == YAML_READER_ERROR {
            return YAMLComposer.Failure(
                message: "the file is not valid text: \(problem)", mark: markOfByte(parser.problem_offset), notes: [])
        }
        var notes: [String] = []
        if let context = parser.context {
            let contextMark = mark(parser.context_mark)
            notes.append("\(String(cString: context)) at \(contextMark.line):\(contextMark.column)")
        }
        return YAMLComposer.Failure(message: "YAML syntax: \(problem)", mark: mark(parser.problem_mark), notes: notes)
    }

    /// The line and column of a byte offset (used for encoding errors, which libyaml reports by offset).
    func markOfByte(_ offset: Int) -> SourceMark {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceMark(line: line, column: column)
    }
}
