/// The layer list: each entry's kind, name, `from:` and arguments, and the shape flow through
/// the whole network, nested containers included. A layer whose output cannot be known passes
/// "unknown" on, and layers after it skip the shape checks that need it, so one mistake gives
/// one error, not a cascade.
extension SpecValidation {
    /// The parameters, or one sample's output of one layer, above this × 4 bytes are refused
    /// (64 GiB): such a spec is almost surely wrong, and could not be trained.
    static let memoryLimit = 1 << 36

    /// The network's layers (every layer in forward order) and its own steps; nil when any is unusable.
    mutating func layerFlow(_ node: YAMLNode, input: TensorShape?) -> (layers: [ResolvedLayer], steps: [NetworkStep])? {
        var scope = FlowScope(path: "", isSequential: false)
        guard let items = layerItems(node, owner: "layers") else { return nil }
        let result = scopeFlow(items, scope: &scope, input: input.map { Flow(shape: $0, derivations: [:], path: ["input"]) })
        guard let result else { return nil }
        checkParameterMemory(resolvedLayers)
        return result.complete ? (resolvedLayers, result.steps) : nil
    }

    /// A non-empty list of layers within the layer budget, or nil after reporting.
    private mutating func layerItems(_ node: YAMLNode, owner: String) -> [YAMLNode]? {
        guard let items = node.items, !items.isEmpty else {
            diagnostics.error("\(owner) must be a non-empty list of layers, not \(node.kindDescription)", at: node)
            return nil
        }
        guard items.count <= SpecValidator.maximumLayerCount else {
            diagnostics.error(
                "the spec has \(formatCount(items.count)) layers, more than the \(formatCount(SpecValidator.maximumLayerCount)) nnspec checks and builds",
                at: items[SpecValidator.maximumLayerCount])
            return nil
        }
        return items
    }

    /// Checks one container's entries in order, appending its layers to `resolvedLayers`.
    /// Returns its steps, its output (nil: unknown) and whether every entry was usable; nil when
    /// the layers of the whole network, nested ones counted, exceed the budget (reported at the first too many).
    private mutating func scopeFlow(
        _ items: [YAMLNode], scope: inout FlowScope, input: Flow?
    ) -> (steps: [NetworkStep], output: Flow?, complete: Bool)? {
        guard let items = expandedEntries(items, scope: &scope) else { return nil }
        let entries = items.enumerated().map { layerEntry($0.element, index: $0.offset, scope: &scope) }
        var declared: [String: Int] = [:]
        for case let entry? in entries {
            if let name = entry.name { declared[name] = entry.index }
        }
        scope.outputs = ["input": input]
        var previous = "input"
        var steps: [NetworkStep] = []
        var complete = true
        for (index, entry) in entries.enumerated() {
            layerCount += 1
            guard layerCount <= SpecValidator.maximumLayerCount else {
                diagnostics.error(
                    "the network has more than \(formatCount(SpecValidator.maximumLayerCount)) layers (nested ones counted), the most nnspec checks and builds",
                    at: items[index])
                return nil
            }
            guard let entry else {
                complete = false
                previous = String(index)
                scope.outputs[previous] = .some(nil)
                continue
            }
            let step: (step: NetworkStep, flow: Flow)?
            switch entry.kind {
            case .sequential(let layersNode):
                guard let nested = sequentialStep(entry, layersNode, scope: scope, previous: previous, declared: declared) else { return nil }
                step = nested
            case .block(let name):
                guard let instance = blockStep(entry, name, scope: scope, previous: previous, declared: declared) else { return nil }
                step = instance
            case .layer, .call, .use:
                step = layerStep(entry, scope: scope, previous: previous, declared: declared)
            }
            scope.outputs[entry.moduleName] = .some(step?.flow)
            previous = entry.moduleName
            if let step {
                steps.append(step.step)
                if case .layer(let layerIndex) = step.step, resolvedLayers[layerIndex].role == .module {
                    scope.modules[entry.moduleName] = layerIndex
                }
            } else {
                complete = false
            }
        }
        return (steps, scope.outputs[previous] ?? nil, complete)
    }

    /// A layer, functional step or reused module: its arguments, inputs and shape rule.
    private mutating func layerStep(
        _ entry: LayerEntry, scope: FlowScope, previous: String, declared: [String: Int]
    ) -> (step: NetworkStep, flow: Flow)? {
        let errorsBefore = diagnostics.errorCount
        let resolved = stepDefinition(entry, scope: scope)
        let sources = inputSources(entry, arity: resolved?.definition.arity ?? .one, previous: previous, declared: declared, scope: scope)
        let arguments = resolved.map { resolved in
            resolved.arguments ?? ArgumentReader(owner: entry.label, specs: resolved.specs)
                .read(entry.pairs, reserved: ["type", "call", "use", "name", "from"], missingAt: entry.typeNode, into: &diagnostics)
        }
        let layer = resolved.flatMap { resolved in
            arguments.flatMap { arguments in
                sources.flatMap { sources in
                    resolve(entry, definition: resolved.definition, arguments: arguments, role: resolved.role, sources: sources,
                            scope: scope, errorsBefore: errorsBefore)
                }
            }
        }
        var outcome: (step: NetworkStep, flow: Flow)?
        if let resolved, let layer, let sources {
            if case .functional(let function) = resolved.role, let parameter = resolved.definition.parameters(layer.layer.arguments).first {
                diagnostics.error(
                    "\(function) would need the parameter \(parameter.name) \(parameter.shape), but a functional step registers no module to hold it",
                    at: entry.typeNode, hint: "write {type: \(layer.layer.typeName), …} to register the module")
            } else {
                resolvedLayers.append(layer.layer)
                outcome = (.layer(resolvedLayers.count - 1),
                           flowAfter(entry, layer: layer.layer, derivations: layer.derivations, sources: sources, scope: scope))
            }
        }
        trace.append(LayerTrace(name: scope.qualified(entry.moduleName), typeName: entry.kindText, output: outcome?.flow.shape))
        return outcome
    }

    /// The definition computing an entry, its argument declarations (nil `specs` use: the reused
    /// module's resolved `arguments`) and its role; nil after reporting an unknown type, function or module.
    private mutating func stepDefinition(
        _ entry: LayerEntry, scope: FlowScope
    ) -> (definition: any LayerDefinition, specs: [ArgumentSpec], arguments: Arguments?, role: LayerRole)? {
        switch entry.kind {
        case .layer(let typeName):
            guard let definition = catalogue.layer(named: typeName) else {
                let function = catalogue.functionals.first { $0.layerType == typeName || $0.name == typeName }
                diagnostics.error(
                    "unknown layer type '\(typeName)'", at: entry.typeNode,
                    hint: catalogue.functional(named: typeName).map { "\($0.name) is a function: write {call: \($0.name)}" }
                        ?? Suggestion.hint(for: typeName, in: catalogue.layerTypeNames)
                        ?? function.map { "\($0.name) is computed by {call: \($0.name)}" }
                        ?? "`nnspec layers` lists the known types")
                return nil
            }
            return (definition, definition.arguments, nil, .module)
        case .call(let name):
            guard let functional = catalogue.functional(named: name), let definition = catalogue.layer(named: functional.layerType)
            else {
                unknownFunction(name, at: entry.typeNode)
                return nil
            }
            return (definition, functional.arguments(of: definition), nil, .functional(name))
        case .use(let name):
            guard let index = scope.modules[name], let definition = catalogue.layer(named: resolvedLayers[index].typeName) else {
                let earlier = scope.modules.keys.sorted()
                diagnostics.error(
                    "use: '\(name)' names no module registered earlier in \(scope.path.isEmpty ? "the network" : scope.path)",
                    at: entry.typeNode,
                    hint: Suggestion.hint(for: name, in: earlier)
                        ?? (earlier.isEmpty ? nil : "earlier modules: \(earlier.joined(separator: ", "))"))
                return nil
            }
            if let extra = entry.pairs.first(where: { !["use", "from"].contains($0.keyText ?? "") }) {
                diagnostics.error(
                    "use: applies \(name) as it was registered; it takes no '\(extra.keyText ?? "…")'", at: extra.key,
                    notes: ["use: takes only from:"])
                return nil
            }
            return (definition, [], resolvedLayers[index].arguments, .reuse(name))
        case .sequential, .block:
            preconditionFailure("a container is checked by sequentialStep or blockStep")
        }
    }

    /// Reports a `call:` of a function that is not in the catalogue: a layer with weights
    /// (`F.linear`) is named as such, anything else gets a suggestion.
    private mutating func unknownFunction(_ name: String, at node: YAMLNode) {
        let bare = String((name.split(separator: ".").last ?? "").filter { $0 != "_" }).lowercased()
        if let layer = catalogue.layers.first(where: { $0.typeName.lowercased() == bare }) {
            let known = catalogue.functionals.filter { $0.layerType == layer.typeName }.map(\.name)
            diagnostics.error(
                known.isEmpty
                    ? "\(name) is not a functional step; the module \(layer.typeName) computes it (a functional step registers no module, so it holds no weights)"
                    : "\(name) is not a functional step; write \(known.joined(separator: " or "))",
                at: node, hint: known.isEmpty ? "write {type: \(layer.typeName), …} to register the module" : nil)
            return
        }
        let names = catalogue.functionals.map(\.name)
        diagnostics.error(
            "unknown function '\(name)'", at: node,
            hint: Suggestion.hint(for: name, in: names) ?? "functional steps: \(names.joined(separator: ", "))")
    }

    /// A block instance: the arguments read against the block's, written into a copy of its layers,
    /// which are checked in their own scope (`from:` names the block's layers and `input`). Problems
    /// inside point at the block's definition, with a note naming the instance and where it is.
    /// Nil when the layer budget was exceeded inside it.
    private mutating func blockStep(
        _ entry: LayerEntry, _ name: String, scope: FlowScope, previous: String, declared: [String: Int]
    ) -> (step: NetworkStep, flow: Flow)?? {
        guard let block = blocks[name] else {
            diagnostics.error(
                "unknown block '\(name)'", at: entry.typeNode,
                hint: Suggestion.hint(for: name, in: blocks.keys.sorted())
                    ?? (blocks.isEmpty ? "define it under blocks: at the top level" : "blocks: defines \(blocks.keys.sorted().joined(separator: ", "))"))
            return .some(nil)
        }
        guard !blockStack.contains(name) else {
            diagnostics.error(
                "block \(name) contains itself: \((blockStack + [name]).joined(separator: " → "))", at: entry.typeNode,
                hint: "a block cannot be instantiated inside its own layers, directly or through another block")
            return .some(nil)
        }
        let errorsBefore = diagnostics.errorCount
        let arguments = ArgumentReader(owner: name, specs: block.arguments)
            .read(entry.pairs, reserved: ["block", "name", "from"], missingAt: entry.typeNode, into: &diagnostics)
        let sources = inputSources(entry, arity: .one, previous: previous, declared: declared, scope: scope)
        guard diagnostics.errorCount == errorsBefore, let sources,
              let items = layerItems(block.layers, owner: "block \(name) layers")
        else { return .some(nil) }
        var values: [String: String] = [:]
        for argument in block.arguments { values[argument.name] = arguments[argument.name]?.description }
        let incoming = scope.outputs[sources[0]] ?? nil
        var inner = FlowScope(path: scope.qualified(entry.moduleName), isSequential: false, isBlock: true)
        let firstDiagnostic = diagnostics.diagnostics.count
        blockStack.append(name)
        let result = scopeFlow(items.map { BlockArguments.substituting(values, in: $0) }, scope: &inner, input: incoming)
        blockStack.removeLast()
        diagnostics.addNote("in \(name) \(inner.path), instantiated at line \(entry.node.mark.line)", fromIndex: firstDiagnostic)
        guard let result else { return nil }
        guard result.complete, incoming != nil, var flow = result.output else { return .some(nil) }
        if entry.name != nil { flow.path = [inner.path] }
        let container = ResolvedContainer(
            name: entry.moduleName, path: inner.path, className: name, inputs: sources, steps: result.steps,
            output: flow.shape, mark: entry.node.mark)
        return (.container(container), flow)
    }

    /// The entries of a list as they are checked: `repeat: n` makes n copies (named by their
    /// index), and inside a block `when: false` (an argument written in) leaves an entry out, its
    /// name then standing for the block's input. Nil when a repeat would exceed the layer budget.
    private mutating func expandedEntries(_ items: [YAMLNode], scope: inout FlowScope) -> [YAMLNode]? {
        var expanded: [YAMLNode] = []
        for item in items {
            guard var pairs = item.pairs else {
                expanded.append(item)
                continue
            }
            var copy = item
            if let index = pairs.firstIndex(where: { $0.keyText == "when" }) {
                let condition = pairs.remove(at: index)
                guard scope.isBlock else {
                    diagnostics.error("when: makes a layer of a block conditional; outside blocks: it has no meaning", at: condition.key)
                    continue
                }
                switch condition.value.scalarText {
                case "true": break
                case "false":
                    if let name = pairs.first(where: { $0.keyText == "name" })?.value.scalarText { scope.aliases[name] = "input" }
                    continue
                default:
                    diagnostics.error(
                        "when: takes a bool argument of the block (or true/false), not \(condition.value.kindDescription)",
                        at: condition.value)
                    continue
                }
            }
            var count = 1
            if let index = pairs.firstIndex(where: { $0.keyText == "repeat" }) {
                let repetition = pairs.remove(at: index)
                let text = repetition.value.scalarText ?? ""
                guard IntegerExpression.looksLikeArithmetic(text), let value = try? IntegerExpression.evaluate(text), value >= 1 else {
                    diagnostics.error("repeat: takes a positive number of copies, not \(repetition.value.kindDescription)", at: repetition.value)
                    continue
                }
                guard value <= SpecValidator.maximumLayerCount - layerCount else {
                    diagnostics.error(
                        "repeat: \(formatCount(value)) would make the network more than \(formatCount(SpecValidator.maximumLayerCount)) layers, the most nnspec checks and builds",
                        at: repetition.value)
                    return nil
                }
                if value > 1, let name = pairs.first(where: { $0.keyText == "name" }) {
                    diagnostics.error("repeated copies are named by their index; remove name:", at: name.key)
                    continue
                }
                count = value
            }
            copy.content = .mapping(pairs)
            expanded += repeatElement(copy, count: count)
        }
        return expanded
    }

    /// A nested `Sequential`: its children checked in its own scope, each taking the previous one's output.
    /// Nil when the layer budget was exceeded inside it.
    private mutating func sequentialStep(
        _ entry: LayerEntry, _ layersNode: YAMLNode, scope: FlowScope, previous: String, declared: [String: Int]
    ) -> (step: NetworkStep, flow: Flow)?? {
        _ = ArgumentReader(owner: entry.label, specs: [])
            .read(entry.pairs, reserved: ["type", "name", "from", "layers"], missingAt: entry.typeNode, into: &diagnostics)
        let sources = inputSources(entry, arity: .one, previous: previous, declared: declared, scope: scope)
        guard let items = layerItems(layersNode, owner: "\(entry.label) layers") else { return .some(nil) }
        let incoming = sources.flatMap { scope.outputs[$0[0]] ?? nil }
        var inner = FlowScope(path: scope.qualified(entry.moduleName), isSequential: true, isBlock: scope.isBlock)
        guard let result = scopeFlow(items, scope: &inner, input: incoming) else { return nil }
        guard result.complete, let sources, incoming != nil, var flow = result.output else { return .some(nil) }
        if entry.name != nil { flow.path = [inner.path] }
        let container = ResolvedContainer(
            name: entry.moduleName, path: inner.path, className: LayerEntry.sequentialType, inputs: sources,
            steps: result.steps, output: flow.shape, mark: entry.node.mark)
        return (.container(container), flow)
    }

    /// The names a layer takes its inputs from: `from:` or the previous step, in its container (a
    /// name left out by `when: false` stands for the container's input).
    private mutating func inputSources(
        _ entry: LayerEntry, arity: LayerArity, previous: String, declared: [String: Int], scope: FlowScope
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
            if let alias = scope.aliases[name] {
                names.append(alias)
            } else if name == "input" || (declared[name].map { $0 < entry.index } ?? false) {
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

    /// Runs the layer's shape rule when every input is known.
    private mutating func resolve(
        _ entry: LayerEntry, definition: any LayerDefinition, arguments: Arguments, role: LayerRole, sources: [String],
        scope: FlowScope, errorsBefore: Int
    ) -> (layer: ResolvedLayer, derivations: [Int: String])? {
        let flows = sources.compactMap { scope.outputs[$0] ?? nil }
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
        let registers = role == .module
        let layer = ResolvedLayer(
            name: scope.qualified(entry.moduleName), localName: entry.moduleName, role: role, isNamed: entry.name != nil,
            typeName: definition.typeName, arguments: resolvedArguments,
            inputs: sources, inputShapes: flows.map(\.shape), output: inferred.shape,
            parameters: registers ? definition.parameters(resolvedArguments) : [],
            buffers: registers ? definition.buffers(resolvedArguments) : [],
            multAdds: definition.multAdds(resolvedArguments, input: flows.map(\.shape), output: inferred.shape),
            mark: entry.node.mark)
        return (layer, inferred.derivations)
    }

    /// The flow after a layer: a named layer starts a new path; an unnamed one extends its
    /// input's path when it changes the shape (shape-keeping layers such as ReLU are left out).
    private func flowAfter(
        _ entry: LayerEntry, layer: ResolvedLayer, derivations: [Int: String], sources: [String], scope: FlowScope
    ) -> Flow {
        let path: [String]
        if entry.name != nil {
            path = [layer.name]
        } else if sources.count == 1, let incoming = scope.outputs[sources[0]] ?? nil {
            path = incoming.shape == layer.output ? incoming.path : incoming.path + [entry.kindText]
        } else {
            path = [entry.label]
        }
        return Flow(shape: layer.output, derivations: derivations, path: path)
    }

    /// Whether one sample of `shape` fits the memory limit; reports it when not.
    mutating func fitsMemory(_ shape: TensorShape, what: String, at node: YAMLNode) -> Bool {
        let elements = shape.sampleSizes.reduce(1.0) { $0 * Double($1) }
        guard elements * 4 > Double(Self.memoryLimit) else { return true }
        let count = elements < Double(Int.max) ? formatCount(Int(elements)) : "\(elements)"
        diagnostics.error(
            "\(what) \(shape) holds \(count) elements per sample, which would need \(formatBytes(elements * 4)) (elements × 4 bytes); the limit is \(formatBytes(Self.memoryLimit))",
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

/// A container being checked: the network's `layers`, or a nested Sequential's.
struct FlowScope {
    /// The dotted module path of the container ("" for the network).
    var path: String
    /// True inside a Sequential: modules only, each taking the previous one's output.
    var isSequential: Bool
    /// True inside a block instance, nested Sequentials included (`when:` applies).
    var isBlock = false
    /// Names of entries left out by `when: false`, each standing for the container's input.
    var aliases: [String: String] = [:]
    /// Every step's output by local name ("input": the container's input); nil = unknown.
    var outputs: [String: Flow?] = [:]
    /// The registered modules (not containers) by local name, with their index in the layers (for `use:`).
    var modules: [String: Int] = [:]
    /// Names given so far and where, for duplicates.
    var nameMarks: [String: SourceMark] = [:]

    /// `name` after the container's path: `features.0`, or `fc1` at the top.
    func qualified(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
}
