/// One entry of a layer list (the network's `layers`, or a nested container's), before its
/// arguments are read: a layer type, a nested `Sequential`, a functional step (`call:`) or a
/// module applied again (`use:`).
struct LayerEntry {
    enum Kind {
        /// `ReLU` or `{type: Linear, …}`: a module registered in its container.
        case layer(String)
        /// `{type: Sequential, layers: […]}`: a nested container; the value is its `layers:` node.
        case sequential(YAMLNode)
        /// `{call: F.relu, …}`: a function computed without registering a module.
        case call(String)
        /// `{use: relu}`: the module registered earlier under that name in the same container, applied again.
        case use(String)
        /// `{block: BasicBlock, planes: 64}`: an instance of a block of `blocks:`.
        case block(String)
    }

    var index: Int
    var kind: Kind
    /// The `type:`, `call:` or `use:` value, or the bare type name: where problems of the whole entry point.
    var typeNode: YAMLNode
    var name: String?
    var fromNode: YAMLNode?
    var pairs: [YAMLPair]
    var node: YAMLNode
    /// As messages name the entry: "fc1", "layer 7 (Linear)", "features.conv", "layer features.3 (ReLU)".
    var label: String
    /// As PyTorch names it in its container: "fc1", or "7".
    var moduleName: String { name ?? String(index) }

    /// The type, function or reused module as messages and `--verbose` show it: `Linear`, `F.relu`, `use relu`.
    var kindText: String {
        switch kind {
        case .layer(let typeName): typeName
        case .sequential: LayerEntry.sequentialType
        case .call(let function): function
        case .use(let module): "use \(module)"
        case .block(let block): block
        }
    }

    /// The container type a spec may nest (`type: Sequential` with `layers:`).
    static let sequentialType = "Sequential"
    /// The keys that say what an entry is; an entry has one of them.
    static let kindKeys = ["type", "call", "use", "block"]
}

extension SpecValidation {
    /// Reads an entry's kind, name and `from:`, reporting what is malformed; nil when unusable.
    /// `scope` names the container (for labels and its rules: a Sequential holds modules only)
    /// and records the entry's name.
    mutating func layerEntry(_ node: YAMLNode, index: Int, scope: inout FlowScope) -> LayerEntry? {
        func label(_ name: String?, _ kindText: String) -> String {
            if let name { return scope.qualified(name) }
            return "layer \(scope.qualified(String(index))) (\(kindText))"
        }
        if let typeName = node.scalarText, !node.isNull {
            return LayerEntry(
                index: index, kind: .layer(typeName), typeNode: node, name: nil, fromNode: nil, pairs: [], node: node,
                label: label(nil, typeName))
        }
        guard let pairs = node.pairs else {
            diagnostics.error(
                "layer \(index) must be a type name such as ReLU or a mapping with 'type', not \(node.kindDescription)", at: node)
            return nil
        }
        let kindPairs = pairs.filter { LayerEntry.kindKeys.contains($0.keyText ?? "") }
        guard let kindPair = kindPairs.first else {
            diagnostics.error("layer \(index) needs 'type'", at: node, hint: "for example {type: Linear, in_features: 84, out_features: 10}")
            return nil
        }
        if kindPairs.count > 1 {
            diagnostics.error(
                "layer \(index) has both '\(kindPair.keyText!)' and '\(kindPairs[1].keyText!)'; an entry is one of type:, call:, use: or block:",
                at: kindPairs[1].key)
            return nil
        }
        let kindNode = kindPair.value
        guard let text = kindNode.scalarText, !kindNode.isNull else {
            diagnostics.error("layer \(index) \(kindPair.keyText!) must be a name, not \(kindNode.kindDescription)", at: kindNode)
            return nil
        }
        let kind: LayerEntry.Kind
        switch kindPair.keyText {
        case "call": kind = .call(text)
        case "use": kind = .use(text)
        case "block": kind = .block(text)
        default:
            if text == LayerEntry.sequentialType {
                guard let layersNode = pairs.first(where: { $0.keyText == "layers" })?.value else {
                    diagnostics.error(
                        "a \(LayerEntry.sequentialType) needs 'layers', the list of its layers", at: kindNode,
                        hint: "for example {name: features, type: Sequential, layers: [Conv2d…, ReLU]}")
                    return nil
                }
                kind = .sequential(layersNode)
            } else {
                kind = .layer(text)
            }
        }
        if scope.isSequential, !sequentialAccepts(kind, pairs: pairs, at: kindNode) { return nil }
        var name: String?
        if let nameNode = pairs.first(where: { $0.keyText == "name" })?.value {
            name = layerName(nameNode, scope: scope)
            if let name { scope.nameMarks[name] = nameNode.mark }
        }
        let fromNode = pairs.first(where: { $0.keyText == "from" })?.value
        var entry = LayerEntry(
            index: index, kind: kind, typeNode: kindNode, name: name, fromNode: fromNode, pairs: pairs, node: node, label: "")
        entry.label = label(name, entry.kindText)
        return entry
    }

    /// A Sequential applies its children one after another, as `nn.Sequential`: a functional
    /// step, a module applied again or a `from:` has no place in it.
    private mutating func sequentialAccepts(_ kind: LayerEntry.Kind, pairs: [YAMLPair], at node: YAMLNode) -> Bool {
        switch kind {
        case .call(let function):
            diagnostics.error(
                "a Sequential holds modules only, so it cannot call \(function)", at: node,
                hint: "write the module type (F.relu: {type: ReLU}), or call it in the network's layers")
            return false
        case .use:
            diagnostics.error(
                "a Sequential holds modules only; use: applies a module again in the network's layers", at: node)
            return false
        case .layer, .sequential, .block:
            if let from = pairs.first(where: { $0.keyText == "from" }) {
                diagnostics.error(
                    "inside a Sequential each layer takes the previous one's output; from: belongs to the network's layers",
                    at: from.key)
                return false
            }
            return true
        }
    }
}
