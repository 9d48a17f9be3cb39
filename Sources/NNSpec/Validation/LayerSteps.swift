/// One layer entry of a list: a module, a functional step or a module applied again, read against
/// its definition and run through its shape rule.
extension SpecValidation {
    /// A layer, functional step or reused module: its arguments, inputs and shape rule.
    mutating func layerStep(
        _ entry: LayerEntry, scope: FlowScope, previous: String, declared: [String: Int]
    ) -> (step: NetworkStep, flow: Flow)? {
        let errorsBefore = diagnostics.errorCount
        let resolved = stepDefinition(entry, scope: scope)
        let sources = inputSources(entry, arity: resolved?.definition.arity ?? .one, previous: previous, declared: declared, scope: scope)
        let arguments = resolved.map { resolved in
            resolved.arguments ?? ArgumentReader(owner: entry.label, specs: resolved.specs)
                .read(entry.pairs, reserved: Set(["type", "call", "use", "name", "from"] + resolved.definition.nestedLayers.map(\.name)),
                      missingAt: entry.typeNode, into: &diagnostics)
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
        guard let nested = nestedLayers(entry, definition: definition, arguments: resolvedArguments, flows: flows) else { return nil }
        let nestedDefinitions = nested.compactMap { catalogue.layer(named: $0.typeName) }
        func copied<Value>(_ value: (any LayerDefinition, Arguments) -> Value) -> [(copies: [String], value: Value)] {
            zip(nested, nestedDefinitions).map { layer, nestedDefinition in (layer.copies, value(nestedDefinition, layer.arguments)) }
        }
        func prefixed(_ shapes: [(copies: [String], value: [ParameterShape])]) -> [ParameterShape] {
            shapes.flatMap { copies, shapes in copies.flatMap { copy in shapes.map { ParameterShape("\(copy).\($0.name)", $0.shape) } } }
        }
        let shapes = flows.map(\.shape)
        let saved = saturatingSum([definition.savedElements(resolvedArguments, input: shapes, output: inferred.shape)]
            + copied { $0.savedElements($1, input: shapes, output: inferred.shape) }.map { saturatingProduct([$0.copies.count, $0.value]) })
        guard fitsMemory(elements: Double(saved), what: "\(entry.label) keeps", purpose: " for its backward pass", at: entry.typeNode)
        else { return nil }
        let registers = role == .module
        let layer = ResolvedLayer(
            name: scope.qualified(entry.moduleName), localName: entry.moduleName, role: role, isNamed: entry.name != nil,
            typeName: definition.typeName, arguments: resolvedArguments, nested: nested,
            inputs: sources, inputShapes: shapes, output: inferred.shape,
            parameters: registers ? definition.parameters(resolvedArguments) + prefixed(copied { $0.parameters($1) }) : [],
            buffers: registers ? definition.buffers(resolvedArguments) + prefixed(copied { $0.buffers($1) }) : [],
            multAdds: saturatingSum([definition.multAdds(resolvedArguments, input: shapes, output: inferred.shape)]
                + copied { $0.multAdds($1, input: shapes, output: inferred.shape) }.map { saturatingProduct([$0.copies.count, $0.value]) }),
            savedElements: saved, mark: entry.node.mark, tokenCount: definition.tokenCount(resolvedArguments))
        return (layer, inferred.derivations)
    }
}
