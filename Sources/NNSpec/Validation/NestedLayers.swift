/// The layers an entry writes as arguments (`NestedLayerKey`): each read against its type's
/// definition and run through its shape rule on the owner's input, which it must keep.
extension SpecValidation {
    /// The owner's nested layers in declaration order; nil after reporting a problem.
    mutating func nestedLayers(
        _ entry: LayerEntry, definition: any LayerDefinition, arguments: Arguments, flows: [Flow]
    ) -> [NestedLayer]? {
        var nested: [NestedLayer] = []
        let errorsBefore = diagnostics.errorCount
        for key in definition.nestedLayers {
            guard let node = entry.pairs.first(where: { $0.keyText == key.name })?.value, !node.isNull else {
                if key.isRequired {
                    diagnostics.error("\(entry.label) needs '\(key.name)', a layer of type \(key.types.joined(separator: " or "))",
                                      at: entry.typeNode, hint: "write `\(key.name): {type: \(key.types[0]), …}`")
                }
                continue
            }
            let what = "\(entry.label) \(key.name)"
            guard let pairs = node.pairs, let typeNode = pairs.first(where: { $0.keyText == "type" })?.value else {
                diagnostics.error("\(what) must be a layer mapping with 'type' (\(key.types.joined(separator: " or "))), not \(node.kindDescription)",
                                  at: node)
                continue
            }
            guard let typeName = typeNode.scalarText, key.types.contains(typeName), let layerDefinition = catalogue.layer(named: typeName) else {
                diagnostics.error("\(what) must be a \(key.types.joined(separator: " or ")), not \(typeNode.kindDescription)", at: typeNode,
                                  hint: Suggestion.hint(for: typeNode.scalarText ?? "", in: key.types))
                continue
            }
            let layerArguments = ArgumentReader(owner: "\(what) (\(typeName))", specs: layerDefinition.arguments)
                .read(pairs, reserved: ["type"], missingAt: typeNode, into: &diagnostics)
            var check = ShapeCheck(layerLabel: "\(what) (\(typeName))", arguments: layerArguments, flows: flows,
                                   layerNode: typeNode, diagnostics: diagnostics)
            let inferred = layerDefinition.output(&check)
            diagnostics = check.diagnostics
            guard let inferred else { continue }
            if inferred.shape != flows[0].shape {
                diagnostics.error("\(what) must keep the shape \(flows[0].shape), but \(typeName) gives \(inferred.shape)", at: typeNode)
                continue
            }
            if let refusal = key.refusal(check.arguments) {
                diagnostics.error("\(what): \(refusal)", at: typeNode)
                continue
            }
            nested.append(NestedLayer(key: key.name, typeName: typeName, arguments: check.arguments,
                                      copies: key.copies(arguments), mark: typeNode.mark))
        }
        return diagnostics.errorCount == errorsBefore ? nested : nil
    }
}
