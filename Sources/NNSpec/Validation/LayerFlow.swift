/// The layer list: each entry's type, name, `from:` and arguments, and the shape flow through
/// the whole network. A layer whose output cannot be known passes "unknown" on, and layers
/// after it skip the shape checks that need it, so one mistake gives one error, not a cascade.
extension SpecValidation {
    /// The parameters, or one sample's output of one layer, above this × 4 bytes are refused
    /// (64 GiB): such a spec is almost surely wrong, and could not be trained.
    static let memoryLimit = 1 << 36

    /// One entry of `layers`, before its arguments are read.
    private struct LayerEntry {
        var index: Int
        var typeName: String
        /// The `type:` value, or the bare type name.
        var typeNode: YAMLNode
        var name: String?
        var fromNode: YAMLNode?
        var pairs: [YAMLPair]
        var node: YAMLNode

        /// As messages name the layer: "fc1", or "layer 7 (Linear)".
        var label: String { name ?? "layer \(index) (\(typeName))" }
        /// As PyTorch names it: "fc1", or "7".
        var moduleName: String { name ?? String(index) }
    }

    mutating func layerFlow(_ node: YAMLNode, input: TensorShape?) -> [ResolvedLayer]? {
        guard let items = node.items, !items.isEmpty else {
            diagnostics.error("layers must be a non-empty list of layers, not \(node.kindDescription)", at: node)
            return nil
        }
        guard items.count <= SpecValidator.maximumLayerCount else {
            diagnostics.error(
                "the spec has \(formatCount(items.count)) layers, more than the \(formatCount(SpecValidator.maximumLayerCount)) nnspec checks and builds",
                at: items[SpecValidator.maximumLayerCount])
            return nil
        }
        let entries = items.enumerated().map { layerEntry($0.element, index: $0.offset) }
        var declaredNames: [String: Int] = [:]
        for case let entry? in entries {
            if let name = entry.name { declaredNames[name] = entry.index }
        }
        // Every layer's output by module name ("fc1", or "3" for an unnamed one); nil = unknown.
        var outputs: [String: Flow?] = ["input": input.map { Flow(shape: $0, derivations: [:], path: ["input"]) }]
        var previous = "input"
        var resolved: [ResolvedLayer] = []
        var complete = true
        for (index, entry) in entries.enumerated() {
            guard let entry else {
                complete = false
                previous = String(index)
                outputs[previous] = .some(nil)
                continue
            }
            let definition = catalogue.layer(named: entry.typeName)
            if definition == nil {
                diagnostics.error(
                    "unknown layer type '\(entry.typeName)'", at: entry.typeNode,
                    hint: Suggestion.hint(for: entry.typeName, in: catalogue.layerTypeNames)
                        ?? "`nnspec layers` lists the known types")
            }
            let sources = inputSources(entry, arity: definition?.arity ?? .one, previous: previous, declared: declaredNames)
            let layer = definition.flatMap { definition in
                resolve(entry, definition: definition, sources: sources, outputs: outputs)
            }
            let flow = layer.map { flowAfter(entry, layer: $0.layer, derivations: $0.derivations, sources: sources, outputs: outputs) }
            outputs[entry.moduleName] = .some(flow)
            previous = entry.moduleName
            trace.append(LayerTrace(name: entry.moduleName, typeName: entry.typeName, output: flow?.shape))
            if let layer { resolved.append(layer.layer) } else { complete = false }
        }
        checkParameterMemory(resolved)
        return complete ? resolved : nil
    }

    /// Reads an entry's type, name and `from:`, reporting what is malformed; nil when unusable.
    private mutating func layerEntry(_ node: YAMLNode, index: Int) -> LayerEntry? {
        if let typeName = node.scalarText, !node.isNull {
            return LayerEntry(index: index, typeName: typeName, typeNode: node, name: nil, fromNode: nil, pairs: [], node: node)
        }
        guard let pairs = node.pairs else {
            diagnostics.error(
                "layer \(index) must be a type name such as ReLU or a mapping with 'type', not \(node.kindDescription)", at: node)
            return nil
        }
        guard let typeNode = pairs.first(where: { $0.keyText == "type" })?.value else {
            diagnostics.error("layer \(index) needs 'type'", at: node, hint: "for example {type: Linear, in_features: 84, out_features: 10}")
            return nil
        }
        guard let typeName = typeNode.scalarText, !typeNode.isNull else {
            diagnostics.error("layer \(index) type must be a layer type name, not \(typeNode.kindDescription)", at: typeNode)
            return nil
        }
        var name: String?
        if let nameNode = pairs.first(where: { $0.keyText == "name" })?.value {
            name = layerName(nameNode)
        }
        let fromNode = pairs.first(where: { $0.keyText == "from" })?.value
        return LayerEntry(index: index, typeName: typeName, typeNode: typeNode, name: name, fromNode: fromNode, pairs: pairs, node: node)
    }

    /// The public attributes of `nn.Module` (torch 2.x): `add_module` refuses them as child names.
    static let moduleAttributes: Set<String> = [
        "T_destination", "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children", "compile", "cpu",
        "cuda", "double", "dump_patches", "eval", "extra_repr", "float", "forward", "get_buffer", "get_extra_state",
        "get_parameter", "get_submodule", "half", "ipu", "load_state_dict", "modules", "mtia", "named_buffers",
        "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook", "register_buffer",
        "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
        "register_full_backward_pre_hook", "register_load_state_dict_post_hook", "register_load_state_dict_pre_hook",
        "register_module", "register_parameter", "register_state_dict_post_hook", "register_state_dict_pre_hook",
        "requires_grad_", "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train",
        "training", "type", "xpu", "zero_grad",
    ]

    /// A layer name: an identifier, not `input`, not an attribute of `nn.Module`, not used before.
    private mutating func layerName(_ node: YAMLNode) -> String? {
        guard let name = node.scalarText, isIdentifier(name) else {
            diagnostics.error(
                "a layer name must be a letter or _ followed by letters, digits or _ (it becomes a PyTorch attribute), not \(node.kindDescription)",
                at: node)
            return nil
        }
        guard name != "input" else {
            diagnostics.error("'input' names the network input; choose another layer name", at: node)
            return nil
        }
        guard !Self.moduleAttributes.contains(name) else {
            diagnostics.error(
                "'\(name)' is an attribute of nn.Module, so PyTorch cannot name a layer so; choose another layer name", at: node)
            return nil
        }
        if let first = layerNameMarks[name] {
            diagnostics.error("duplicate layer name '\(name)'", at: node, notes: ["first used at line \(first.line)"])
            return nil
        }
        layerNameMarks[name] = node.mark
        return name
    }

    /// The names a layer takes its inputs from: `from:` or the previous layer.
    private mutating func inputSources(
        _ entry: LayerEntry, arity: LayerArity, previous: String, declared: [String: Int]
    ) -> [String]? {
        guard let fromNode = entry.fromNode else {
            if arity == .atLeastTwo {
                diagnostics.error(
                    "\(entry.label) joins two or more inputs; name them with from: [a, b]", at: entry.typeNode)
                return nil
            }
            return [previous]
        }
        let nodes = fromNode.items ?? [fromNode]
        if arity == .one, nodes.count != 1 {
            diagnostics.error("\(entry.label) takes one input but from: names \(nodes.count)", at: fromNode)
            return nil
        }
        if arity == .atLeastTwo, nodes.count < 2 {
            diagnostics.error("\(entry.label) joins two or more inputs but from: names \(nodes.count)", at: fromNode)
            return nil
        }
        var names: [String] = []
        for node in nodes {
            guard let name = node.scalarText, !node.isNull else {
                diagnostics.error("from: must name layers, not \(node.kindDescription)", at: node)
                return nil
            }
            if name == "input" || (declared[name].map { $0 < entry.index } ?? false) {
                names.append(name)
            } else if name == entry.name {
                diagnostics.error("\(entry.label) cannot take its own output", at: node)
                return nil
            } else if declared[name] != nil {
                diagnostics.error(
                    "from: '\(name)' is a later layer; a layer can take only the input or earlier layers' outputs", at: node)
                return nil
            } else {
                let earlier = ["input"] + declared.filter { $0.value < entry.index }.keys.sorted()
                diagnostics.error(
                    "from: '\(name)' names no layer", at: node,
                    hint: Suggestion.hint(for: name, in: earlier) ?? "earlier names: \(earlier.joined(separator: ", "))")
                return nil
            }
        }
        return names
    }

    /// Reads the arguments and, when every input is known, runs the layer's shape rule.
    private mutating func resolve(
        _ entry: LayerEntry, definition: any LayerDefinition, sources: [String]?, outputs: [String: Flow?]
    ) -> (layer: ResolvedLayer, derivations: [Int: String])? {
        let errorsBefore = diagnostics.errorCount
        let reader = ArgumentReader(owner: entry.label, specs: definition.arguments)
        let arguments = reader.read(entry.pairs, reserved: ["type", "name", "from"], missingAt: entry.typeNode, into: &diagnostics)
        guard let sources else { return nil }
        let flows = sources.compactMap { outputs[$0] ?? nil }
        guard flows.count == sources.count else { return nil }
        var check = ShapeCheck(
            layerLabel: entry.label, arguments: arguments, flows: flows, layerNode: entry.typeNode, diagnostics: diagnostics)
        let inferred = definition.output(&check)
        diagnostics = check.diagnostics
        guard let inferred else {
            if diagnostics.errorCount == errorsBefore {
                diagnostics.error("\(entry.label): the output shape cannot be inferred from \(flows[0].shape)", at: entry.typeNode)
            }
            return nil
        }
        if let oversized = inferred.shape.sampleSizes.first(where: { $0 > maximumSize }) {
            diagnostics.error(
                "\(entry.label) output \(inferred.shape) has a dimension of \(oversized), more than the limit \(maximumSize)",
                at: entry.typeNode)
            return nil
        }
        guard fitsMemory(inferred.shape, what: "\(entry.label) output", at: entry.typeNode) else { return nil }
        let resolvedArguments = check.arguments
        let saved = definition.savedElements(resolvedArguments, input: flows.map(\.shape), output: inferred.shape)
        guard fitsMemory(elements: Double(saved), what: "\(entry.label) keeps", purpose: " for its backward pass", at: entry.typeNode)
        else { return nil }
        let parameters = definition.parameters(resolvedArguments)
        let layer = ResolvedLayer(
            name: entry.moduleName, isNamed: entry.name != nil, typeName: entry.typeName, arguments: resolvedArguments,
            inputs: sources, inputShapes: flows.map(\.shape), output: inferred.shape, parameters: parameters,
            buffers: definition.buffers(resolvedArguments),
            multAdds: definition.multAdds(resolvedArguments, input: flows.map(\.shape), output: inferred.shape),
            savedElements: saved, mark: entry.node.mark)
        return (layer, inferred.derivations)
    }

    /// The flow after a layer: a named layer starts a new path; an unnamed one extends its
    /// input's path when it changes the shape (shape-keeping layers such as ReLU are left out).
    private func flowAfter(
        _ entry: LayerEntry, layer: ResolvedLayer, derivations: [Int: String], sources: [String]?, outputs: [String: Flow?]
    ) -> Flow {
        let path: [String]
        if let name = entry.name {
            path = [name]
        } else if let sources, sources.count == 1, let incoming = outputs[sources[0]] ?? nil {
            path = incoming.shape == layer.output ? incoming.path : incoming.path + [entry.typeName]
        } else {
            path = [entry.label]
        }
        return Flow(shape: layer.output, derivations: derivations, path: path)
    }

    /// Whether one sample of `shape` fits the memory limit; reports it when not.
    mutating func fitsMemory(_ shape: TensorShape, what: String, at node: YAMLNode) -> Bool {
        fitsMemory(elements: shape.sampleSizes.reduce(1.0) { $0 * Double($1) }, what: "\(what) \(shape) holds", at: node)
    }

    /// Whether `elements` per sample fit the memory limit; otherwise reports "`what` N elements per sample`purpose` …".
    mutating func fitsMemory(elements: Double, what: String, purpose: String = "", at node: YAMLNode) -> Bool {
        guard elements * 4 > Double(Self.memoryLimit) else { return true }
        let count = elements < Double(Int.max) ? formatCount(Int(elements)) : "\(elements)"
        diagnostics.error(
            "\(what) \(count) elements per sample\(purpose), which would need \(formatBytes(elements * 4)) (elements × 4 bytes); the limit is \(formatBytes(Self.memoryLimit))",
            at: node)
        return false
    }

    /// Refuses a network whose parameters alone would need more than `maximumParameterBytes`,
    /// naming the layer that holds most of them. Only counts are multiplied; nothing is allocated.
    private mutating func checkParameterMemory(_ layers: [ResolvedLayer]) {
        let total = saturatingSum(layers.map(\.parameterCount))
        let bytes = Double(total) * 4
        guard bytes > Double(Self.memoryLimit), let largest = layers.max(by: { $0.parameterCount < $1.parameterCount })
        else { return }
        let saturated = total == Int.max
        let count = saturated ? "more than \(formatCount(Int.max))" : formatCount(total)
        let memory = saturated ? "more than \(formatBytes(bytes))" : formatBytes(bytes)
        diagnostics.add(
            .error,
            "the network has \(count) parameters, which would need \(memory) (parameters × 4 bytes); the limit is \(formatBytes(Self.memoryLimit))",
            mark: largest.mark,
            notes: [
                "\(largest.name) (\(largest.typeName)) holds \(largest.parameterCount == Int.max ? "more than \(formatCount(Int.max))" : formatCount(largest.parameterCount)) of them: "
                    + largest.parameters.map { "\($0.name) \($0.shape)" }.joined(separator: ", ")
            ])
    }
}
