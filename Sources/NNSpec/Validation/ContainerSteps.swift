/// Container entries of a list: block instances, nested Sequentials, and the `repeat:`/`when:`
/// expansion of a list before its entries are read.
extension SpecValidation {
    /// A block instance: the arguments read against the block's, written into a copy of its layers,
    /// which are checked in their own scope (`from:` names the block's layers and `input`). Problems
    /// inside point at the block's definition, with a note naming the instance and where it is.
    /// Nil when the layer budget was exceeded inside it.
    mutating func blockStep(
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
            output: flow.shape)
        return (.container(container), flow)
    }

    /// The entries of a list as they are checked: `repeat: n` makes n copies (named by their
    /// index), and inside a block `when: false` (an argument written in) leaves an entry out, its
    /// name then standing for the block's input. Nil when a repeat would exceed the layer budget.
    mutating func expandedEntries(_ items: [YAMLNode], scope: inout FlowScope) -> [YAMLNode]? {
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
            var instances: [[YAMLPair]] = [[]]
            if let index = pairs.firstIndex(where: { $0.keyText == "repeat" }) {
                let repetition = pairs.remove(at: index)
                guard let copies = repeatedArguments(repetition.value) else { continue }
                guard copies.count <= SpecValidator.maximumLayerCount - layerCount else {
                    diagnostics.error(
                        "repeat: \(formatCount(copies.count)) would make the network more than \(formatCount(SpecValidator.maximumLayerCount)) layers, the most nnspec checks and builds",
                        at: repetition.value)
                    return nil
                }
                if copies.count > 1, let name = pairs.first(where: { $0.keyText == "name" }) {
                    diagnostics.error("repeated copies are named by their index; remove name:", at: name.key)
                    continue
                }
                instances = copies.arguments ?? Array(repeating: [], count: copies.count)
            }
            for overrides in instances {
                let keys = Set(overrides.compactMap(\.keyText))
                copy.content = .mapping(pairs.filter { !keys.contains($0.keyText ?? "") } + overrides)
                expanded.append(copy)
            }
        }
        return expanded
    }

    /// The copies `repeat:` asks for: `repeat: 3` (three copies, `arguments` nil), or
    /// `repeat: [{inplanes: 64, stride: 2}, {inplanes: 128}]` (one per mapping, with the arguments it
    /// adds or replaces). Nil after reporting anything else.
    private mutating func repeatedArguments(_ node: YAMLNode) -> (count: Int, arguments: [[YAMLPair]]?)? {
        if let items = node.items, !items.isEmpty {
            guard items.allSatisfy({ $0.pairs != nil }) else {
                diagnostics.error("repeat: [...] takes one mapping of arguments per copy, such as [{stride: 2}, {}]", at: node)
                return nil
            }
            return (items.count, items.map { $0.pairs ?? [] })
        }
        let text = node.scalarText ?? ""
        guard IntegerExpression.looksLikeArithmetic(text), let count = try? IntegerExpression.evaluate(text), count >= 1 else {
            diagnostics.error("repeat: takes a positive number of copies or a list of their arguments, not \(node.kindDescription)", at: node)
            return nil
        }
        return (count, nil)
    }

    /// A nested `Sequential`: its children checked in its own scope, each taking the previous one's output.
    /// Nil when the layer budget was exceeded inside it.
    mutating func sequentialStep(
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
            steps: result.steps, output: flow.shape)
        return (.container(container), flow)
    }
}
