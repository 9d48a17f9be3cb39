import NNData

/// One validation run over a composed spec: reads every section, reporting every problem, and
/// builds the resolved spec when the sections could be read.
struct SpecValidation {
    var diagnostics: DiagnosticCollector
    let baseDirectory: String
    /// The types the spec may name.
    let catalogue: Catalogue
    /// Which files the spec may name (its data, `init:` and `golden:` paths).
    let fileAccess: SpecFileAccess
    /// The input shape when it could be read, and each layer's output as far as it is known, for `--verbose`.
    var input: TensorShape?
    var trace: [LayerTrace] = []
    /// Every layer resolved so far, nested ones included, in forward order.
    var resolvedLayers: [ResolvedLayer] = []
    /// The layer entries checked so far, nested ones included (against `SpecValidator.maximumLayerCount`).
    var layerCount = 0
    /// The spec's `blocks:` by class name.
    var blocks: [String: BlockDefinition] = [:]
    /// The blocks being instantiated, outermost first (a block inside itself is refused).
    var blockStack: [String] = []
    /// The vocabulary of a text train split, which its test split is checked against.
    var textVocabulary: TextVocabulary?

    init(diagnostics: DiagnosticCollector, baseDirectory: String, catalogue: Catalogue, fileAccess: SpecFileAccess) {
        self.diagnostics = diagnostics
        self.baseDirectory = baseDirectory
        self.catalogue = catalogue
        self.fileAccess = fileAccess
    }

    mutating func run(_ root: YAMLNode) -> ValidatedSpec? {
        guard let fields = MappingFields(root, known: SpecValidator.topLevelKeys, context: "the spec", diagnostics: &diagnostics)
        else { return nil }
        checkVersion(fields["nnspec"], document: root)
        let name = fields["name"].flatMap { text($0, what: "name") } ?? "Net"
        let summary = fields["description"].flatMap { text($0, what: "description") }
        if let node = fields["input"] {
            input = shape(node, what: "input")
        } else {
            diagnostics.error("the spec needs 'input', the data shape such as [N, 1, 28, 28]", at: root)
        }
        if let node = fields["blocks"] {
            blocks = blockDefinitions(node)
        }
        var network: (layers: [ResolvedLayer], steps: [NetworkStep])?
        if let node = fields["layers"] {
            network = layerFlow(node, input: input)
            if let network { checkWeightTies(network.layers) }
        } else {
            diagnostics.error("the spec needs 'layers', the list of layers", at: root)
        }
        // The last layer in forward order computes the network's output, nested or not.
        let output = network?.layers.last?.output
        let loss = fields["loss"].flatMap { lossComponent($0, output: output, lastLayer: network?.layers.last) }
        let optimizer = fields["optimizer"].flatMap { optimizerComponent($0) }
        let data = fields["data"].flatMap { dataSpec($0, input: input, output: output, loss: loss) }
        let train = fields["train"].map { trainSettings($0) } ?? TrainSettings(epochs: 1, steps: nil, seed: 0, scheduler: nil)
        let expect = fields["expect"].map { expectations($0) } ?? Expectations(namedParameters: [], marks: [:])
        guard let input, let network, let output else { return nil }
        return ValidatedSpec(
            name: name, summary: summary, input: input, inputMark: fields["input"]?.mark, layers: network.layers, steps: network.steps,
            output: output, loss: loss, optimizer: optimizer, data: data, train: train, expect: expect, baseDirectory: baseDirectory)
    }

    /// `nnspec: 1` must be present and 1.
    mutating func checkVersion(_ node: YAMLNode?, document: YAMLNode) {
        guard let node else {
            diagnostics.error("the spec needs 'nnspec: 1' (the format version)", at: document, hint: "add `nnspec: 1` as the first line")
            return
        }
        guard node.scalarText == "1" else {
            diagnostics.error("unsupported format version \(node.kindDescription); this nnspec reads version 1", at: node)
            return
        }
    }

    /// A scalar text value (name, description).
    mutating func text(_ node: YAMLNode, what: String) -> String? {
        guard let text = node.scalarText, !node.isNull else {
            diagnostics.error("\(what) must be text, not \(node.kindDescription)", at: node)
            return nil
        }
        return text
    }

    /// A shape list such as `[N, 1, 32, 32]`: the first dimension may be a name (the batch),
    /// the others are positive integers or expressions.
    mutating func shape(_ node: YAMLNode, what: String) -> TensorShape? {
        guard let items = node.items, !items.isEmpty else {
            diagnostics.error("\(what) must be a list of dimensions such as [N, 1, 28, 28], not \(node.kindDescription)", at: node)
            return nil
        }
        guard items.count >= 2 else {
            diagnostics.error(
                "\(what) needs a batch dimension and at least one more, such as [N, 784]", at: node,
                hint: "torch.nn layers take mini-batches: write [N, \(items[0].scalarText ?? "…")]")
            return nil
        }
        var dimensions: [Dimension] = []
        var valid = true
        for (index, item) in items.enumerated() {
            if let symbol = item.scalarText, isIdentifier(symbol) {
                if index == 0 {
                    dimensions.append(.symbol(symbol))
                } else {
                    diagnostics.error(
                        "only the first (batch) dimension of \(what) may be a name; '\(symbol)' must be a size", at: item)
                    valid = false
                }
                continue
            }
            if let size = integer(item, .positive, label: "\(what) dimension") {
                dimensions.append(.size(size))
            } else {
                valid = false
            }
        }
        guard valid else { return nil }
        let shape = TensorShape(dimensions)
        return fitsMemory(shape, what: what, at: node) ? shape : nil
    }

    /// A bare type name or a mapping with `type:`, read against a catalogue; also returns the
    /// type's node, where problems of the component as a whole point.
    mutating func component(
        _ node: YAMLNode, catalogue: [any ComponentDefinition], what: String
    ) -> (component: ResolvedComponent, definition: any ComponentDefinition, typeNode: YAMLNode)? {
        let typeNode: YAMLNode
        let pairs: [YAMLPair]
        if node.scalarText != nil, !node.isNull {
            typeNode = node
            pairs = []
        } else if let mappingPairs = node.pairs {
            guard let found = mappingPairs.first(where: { $0.keyText == "type" })?.value else {
                diagnostics.error("the \(what) needs 'type', one of \(catalogue.map(\.typeName).joined(separator: ", "))", at: node)
                return nil
            }
            typeNode = found
            pairs = mappingPairs
        } else {
            diagnostics.error(
                "the \(what) must be a type name or a mapping with 'type', not \(node.kindDescription)", at: node)
            return nil
        }
        guard let typeName = typeNode.scalarText, let definition = catalogue.first(where: { $0.typeName == typeName }) else {
            diagnostics.error(
                "unknown \(what) \(typeNode.kindDescription)", at: typeNode,
                hint: Suggestion.hint(for: typeNode.scalarText ?? "", in: catalogue.map(\.typeName))
                    ?? "known: \(catalogue.map(\.typeName).joined(separator: ", "))")
            return nil
        }
        let reader = ArgumentReader(owner: typeName, specs: definition.arguments)
        let nestedKey = definition.nestedComponents?.name
        let arguments = reader.read(pairs, reserved: Set(["type"] + (nestedKey.map { [$0] } ?? [])), missingAt: typeNode, into: &diagnostics)
        var resolved = ResolvedComponent(typeName: typeName, arguments: arguments, mark: typeNode.mark)
        var problems = definition.problems(arguments)
        if let nestedKey {
            guard let nested = nestedComponents(pairs.first { $0.keyText == nestedKey }?.value, key: nestedKey, owner: definition,
                                                catalogue: catalogue, what: what, typeNode: typeNode)
            else { return nil }
            resolved.nested = nested
            problems += definition.problems(arguments, nested: nested)
        }
        for problem in problems {
            diagnostics.error(problem.message, at: problem.argument.flatMap(arguments.node) ?? typeNode, hint: problem.hint)
        }
        return (resolved, definition, typeNode)
    }

    /// The list under `owner`'s nested key (`node`, nil when not written), each item read as a
    /// component of the same catalogue and checked by the owner; nil after reporting a problem.
    private mutating func nestedComponents(
        _ node: YAMLNode?, key: String, owner: any ComponentDefinition, catalogue: [any ComponentDefinition], what: String,
        typeNode: YAMLNode
    ) -> [ResolvedComponent]? {
        guard let node else {
            diagnostics.error("\(owner.typeName) needs '\(key)', a list of \(what)s", at: typeNode,
                              hint: "write `\(key): [{type: LinearLR, total_iters: 5}, {type: ExponentialLR, gamma: 0.9}]`")
            return nil
        }
        guard let items = node.items, !items.isEmpty else {
            diagnostics.error("\(owner.typeName) \(key) must be a non-empty list of \(what)s, not \(node.kindDescription)", at: node)
            return nil
        }
        var nested: [ResolvedComponent] = []
        for (index, item) in items.enumerated() {
            guard let (component, _, itemType) = component(item, catalogue: catalogue, what: "\(what) in \(owner.typeName) \(key)")
            else { continue }
            if let refusal = owner.refusal(ofNested: component, at: index) {
                diagnostics.error(refusal.message, at: itemType, hint: refusal.hint)
            }
            nested.append(component)
        }
        return nested.count == items.count ? nested : nil
    }
}

/// A name such as `N`, `batch`, `conv_1`: a letter or underscore, then letters, digits, underscores.
func isIdentifier(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first == "_" || first.properties.isAlphabetic, first.isASCII else {
        return false
    }
    return text.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
}
