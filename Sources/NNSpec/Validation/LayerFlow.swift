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
    mutating func layerItems(_ node: YAMLNode, owner: String) -> [YAMLNode]? {
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
    mutating func scopeFlow(
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

    /// The names a layer takes its inputs from: `from:` or the previous step, in its container (a
    /// name left out by `when: false` stands for the container's input).
    mutating func inputSources(
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

    /// The flow after a layer: a named layer starts a new path; an unnamed one extends its
    /// input's path when it changes the shape (shape-keeping layers such as ReLU are left out).
    func flowAfter(
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
