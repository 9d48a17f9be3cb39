/// The schema of a layer list's entries (the network's `layers`, a Sequential's, a block's), as
/// `SpecValidation.layerEntry` reads them: a bare type name, `{type: T, …}` with T's arguments,
/// `{type: Sequential, layers: […]}`, `{call: F.relu, …}`, `{use: name}` and `{block: B, …}`,
/// with `repeat:` on any entry and `when:` in a block's layers. Every definition exists twice: for
/// the network, and for a block's layers, whose values may name the block's arguments.
enum SchemaLayerEntries {
    typealias Context = SchemaValues.Context

    static let sequentialSummary = "nn.Sequential: its layers applied one after another"

    /// `$defs` name of an entry of a list: `entry`, `block.entry`; `sequentialEntry` in a Sequential.
    static func entryName(_ context: Context, inSequential: Bool = false) -> String {
        (context == .block ? "block." : "") + (inSequential ? "sequentialEntry" : "entry")
    }

    /// Every definition of both contexts, and the layer name's.
    static func definitions(_ catalogue: Catalogue) -> [(String, JSONValue)] {
        let names = ["input"] + SpecValidation.moduleAttributes.sorted()
        let layerName = SchemaValues.described(
            .object([("type", .string("string")), ("pattern", .string("^[A-Za-z_][A-Za-z0-9_]*$")),
                     ("not", SchemaValues.words(names))]),
            "the module's attribute name (default: its index in the list); unique in its list, not input or an nn.Module attribute")
        return [("layerName", layerName)] + definitions(catalogue, .network) + definitions(catalogue, .block)
    }

    static func definitions(_ catalogue: Catalogue, _ context: Context) -> [(String, JSONValue)] {
        let name = ("name", SchemaMappings.reference("layerName"))
        let common = [name] + flowKeys(context)
        let layers = catalogue.layers.map { layer in
            // A layer written as an argument (TransformerEncoder's encoder_layer) is checked as that type's entry.
            let nested = layer.nestedLayers.map { key in
                (key.name, SchemaValues.described(
                    SchemaValues.anyOf(key.types.map { SchemaMappings.reference(SchemaMappings.definitionName("layer", $0, context)) }), key.summary))
            }
            return (SchemaMappings.definitionName("layer", layer.typeName, context),
                    SchemaMappings.closed(
                        [("type", SchemaMappings.typeName(layer.typeName, layer.summary))] + common + nested, arguments: layer.arguments,
                        required: layer.nestedLayers.filter(\.isRequired).map(\.name), context))
        }
        let sequential = (
            SchemaMappings.definitionName("layer", LayerEntry.sequentialType, context),
            SchemaMappings.closed(
                [("type", SchemaMappings.typeName(LayerEntry.sequentialType, sequentialSummary))] + common
                    + [("layers", layerList(entryName(context, inSequential: true)))],
                arguments: [], required: ["layers"], context))
        let functions = catalogue.functionals.compactMap { function -> (String, JSONValue)? in
            guard let layer = catalogue.layer(named: function.layerType) else { return nil }
            return (SchemaMappings.definitionName("call", function.name, context),
                    SchemaMappings.closed(
                        [("call", SchemaMappings.typeName(function.name, "computed as \(layer.typeName), no module registered: \(layer.summary)"))]
                            + common,
                        arguments: function.arguments(of: layer), context))
        }
        let use = (
            SchemaMappings.definitionName("entry", "use", context),
            SchemaMappings.closed(
                [("use", SchemaValues.described(SchemaValues.identifier, "a module registered earlier in the same list, applied again"))]
                    + flowKeys(context),
                arguments: [], context))
        let blockValue = SchemaValues.anyOf([
            SchemaValues.integer(.any, context), SchemaValues.real(.any, context), SchemaValues.kind(.boolean, context),
        ])
        let block = (
            SchemaMappings.definitionName("entry", "block", context),
            JSONValue.object([
                ("type", .string("object")),
                ("properties", .object(
                    [("block", SchemaValues.described(SchemaValues.identifier, "a block of blocks:; its arguments follow"))] + common)),
                ("additionalProperties", SchemaValues.described(blockValue, "an argument of the block (int, float or bool)")),
            ]))
        let entry = (entryName(context), entrySchema(catalogue, context))
        let sequentialEntry = (
            entryName(context, inSequential: true),
            JSONValue.object([
                ("$ref", .string("#/$defs/\(entryName(context))")),
                ("description", .string("a module of a Sequential: no call:, use: or from:")),
                ("properties", .object(["call", "use", "from"].map { ($0, .boolean(false)) })),
            ]))
        return [entry, sequentialEntry] + layers + [sequential] + functions + [use, block]
    }

    /// `from:`, `repeat:` and, in a block, `when:`.
    static func flowKeys(_ context: Context) -> [(String, JSONValue)] {
        var keys: [(String, JSONValue)] = [
            ("from", SchemaValues.described(
                SchemaValues.anyOf([SchemaValues.type("string"), SchemaValues.list(SchemaValues.type("string"), minimum: 1)]),
                "the input: a layer written earlier, or input; a list for Add and Concat")),
            ("repeat", SchemaValues.described(
                SchemaValues.anyOf([SchemaValues.integer(.positive, context), SchemaValues.list(SchemaValues.type("object"), minimum: 1)]),
                "n copies named by their index, or one copy per mapping of arguments")),
        ]
        if context == .block {
            keys.append(("when", SchemaValues.described(
                SchemaValues.kind(.boolean, context), "a bool argument of the block: when false the entry is absent")))
        }
        return keys
    }

    static func layerList(_ entry: String) -> JSONValue {
        SchemaValues.described(SchemaValues.list(SchemaMappings.reference(entry), minimum: 1), "the layers, in order")
    }

    /// One entry: a bare type name taking no required argument, or a mapping with one of
    /// `type:`, `call:`, `use:`, `block:`, dispatched to that type's or function's definition.
    static func entrySchema(_ catalogue: Catalogue, _ context: Context) -> JSONValue {
        let bare = catalogue.layers.filter { !$0.arguments.contains(where: \.isRequired) }
        let types = catalogue.layers.map { (name: $0.typeName, reference: SchemaMappings.definitionName("layer", $0.typeName, context)) }
            + [(name: LayerEntry.sequentialType, reference: SchemaMappings.definitionName("layer", LayerEntry.sequentialType, context))]
        let functions = catalogue.functionals.map { (name: $0.name, reference: SchemaMappings.definitionName("call", $0.name, context)) }
        let functionSummaries = catalogue.functionals.map { function in
            "computed as \(function.layerType), no module registered"
        }
        let kinds = LayerEntry.kindKeys.map { JSONValue.object([("required", .array([.string($0)]))]) }
        let reused = ["use", "block"].map { key in
            JSONValue.object([
                ("if", .object([("required", .array([.string(key)]))])),
                ("then", SchemaMappings.reference(SchemaMappings.definitionName("entry", key, context))),
            ])
        }
        return .object([
            ("if", SchemaValues.type("string")),
            ("then", .object([
                ("enum", .array(bare.map { .string($0.typeName) })), ("enumDescriptions", .array(bare.map { .string($0.summary) })),
            ])),
            ("else", .object([
                ("type", .string("object")),
                ("anyOf", .array(kinds)),
                ("allOf", .array(
                    SchemaMappings.dispatch(on: "type", choices: types, described: catalogue.layers.map(\.summary) + [sequentialSummary])
                        + SchemaMappings.dispatch(on: "call", choices: functions, described: functionSummaries) + reused)),
            ])),
        ])
    }
}
