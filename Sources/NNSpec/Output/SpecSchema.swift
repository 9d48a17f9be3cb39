/// A JSON Schema (draft 2020-12) of the spec format, generated from a catalogue and from the
/// declarations the validator reads (`ArgumentSpec`s of layers, losses, optimizers, schedulers,
/// data sources, transforms and `SectionFields`), so that editors using yaml-language-server
/// complete and check keys, types, arguments, defaults and ranges as nnspec does.
public enum SpecSchema {
    /// Names nnspec and the spec format version the schema describes.
    public static let identifier = "urn:nnspec:spec-format:1"

    /// The schema of specs naming the types of `catalogue`.
    public static func json(_ catalogue: Catalogue) -> String {
        root(catalogue).rendered() + "\n"
    }

    typealias Values = SchemaValues

    static func root(_ catalogue: Catalogue) -> JSONValue {
        let loss = SchemaMappings.component(catalogue.losses, kind: "loss")
        let optimizer = SchemaMappings.component(catalogue.optimizers, kind: "optimizer")
        let scheduler = SchemaMappings.component(catalogue.schedulers, kind: "scheduler")
        let sources = DataSourceKind.allCases.map { kind in
            (SchemaMappings.definitionName("source", kind.rawValue),
             SchemaMappings.closed([("source", SchemaMappings.typeName(kind.rawValue, kind.summary))], arguments: kind.arguments, .network))
        }
        return .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string(identifier)),
            ("title", .string("nnspec neural network spec, format version 1")),
            ("description", .string("A network with its loss, optimizer, data and expectations; nnspec validate checks it.")),
            ("type", .string("object")),
            ("required", .array(["nnspec", "input", "layers"].map(JSONValue.string))),
            ("properties", .object([
                ("nnspec", Values.described(.object([("enum", .array([.integer(1), .string("1")]))]), "the format version, 1", default: .integer(1))),
                ("name", Values.described(Values.scalarText, "the module's class name as print(net) shows it", default: .text("Net"))),
                ("description", Values.described(Values.scalarText, "free text")),
                ("input", shape("the data shape; the first dimension is the batch, e.g. [N, 1, 28, 28]")),
                ("blocks", blocks),
                ("layers", SchemaLayerEntries.layerList(SchemaLayerEntries.entryName(.network))),
                ("loss", Values.described(loss.schema, "a loss of torch.nn: a name, or a mapping with type and arguments")),
                ("optimizer", Values.described(optimizer.schema, "an optimizer of torch.optim: a name, or a mapping with type and arguments")),
                ("data", data),
                ("train", train(scheduler: scheduler.schema)),
                ("expect", expect),
            ])),
            ("additionalProperties", .boolean(false)),
            ("$defs", .object(
                SchemaLayerEntries.definitions(catalogue) + loss.definitions + optimizer.definitions + scheduler.definitions + sources)),
        ])
    }

    /// A closed mapping of `fields` (none required) and `extra` keys.
    static func section(_ fields: [ArgumentSpec], _ extra: [(String, JSONValue)], _ description: String) -> JSONValue {
        Values.described(SchemaMappings.closed(extra, arguments: fields, optionalArguments: true, .network), description)
    }

    /// A shape `[N, 1, 28, 28]`: a name or a size first (the batch), then sizes.
    static func shape(_ description: String) -> JSONValue {
        let size = Values.integer(.positive, .network)
        return Values.described(
            .object([
                ("type", .string("array")), ("minItems", .integer(2)),
                ("prefixItems", .array([Values.anyOf([Values.identifier, size])])), ("items", size),
            ]),
            description)
    }

    /// `blocks:`: class names to `{arguments, layers}`.
    static var blocks: JSONValue {
        let argumentValue = Values.anyOf([
            Values.words(["int", "float", "bool"]), Values.integer(.any, .network), Values.type("number"), Values.type("boolean"),
        ])
        let arguments = JSONValue.object([
            ("type", .string("object")),
            ("propertyNames", .object([
                ("pattern", .string("^[A-Za-z_][A-Za-z0-9_]*$")), ("not", Values.words(SpecValidation.entryKeys.sorted())),
            ])),
            ("additionalProperties", Values.described(argumentValue, "int, float or bool (required), or a default value")),
        ])
        let definition = SchemaMappings.closed(
            [("arguments", Values.described(arguments, "the block's arguments: {planes: int, stride: 1, downsample: false}")),
             ("layers", SchemaLayerEntries.layerList(SchemaLayerEntries.entryName(.block)))],
            arguments: [], required: ["layers"], .network)
        return Values.described(
            .object([
                ("type", .string("object")),
                ("propertyNames", .object([("pattern", .string("^[A-Za-z_][A-Za-z0-9_]*$"))])),
                ("additionalProperties", definition),
            ]),
            "module classes defined once and instantiated by {block: Name, argument: value} entries")
    }

    static var data: JSONValue {
        let transforms = DataTransformKind.allCases.map { kind -> (String, JSONValue) in
            switch kind {
            case .normalize:
                (kind.rawValue, Values.described(
                    SchemaMappings.closed([], arguments: kind.arguments, .network), "(x - mean[c]) / std[c] per channel"))
            case .scale, .pad:
                (kind.rawValue, Values.argument(kind.arguments[0], .network))
            }
        }
        let transform = JSONValue.object([
            ("type", .string("object")), ("minProperties", .integer(1)), ("maxProperties", .integer(1)),
            ("properties", .object(transforms)), ("additionalProperties", .boolean(false)),
        ])
        let choices = DataSourceKind.allCases.map { (name: $0.rawValue, reference: SchemaMappings.definitionName("source", $0.rawValue)) }
        let split = JSONValue.object([
            ("type", .string("object")), ("required", .array([.string("source")])),
            ("allOf", .array(SchemaMappings.dispatch(on: "source", choices: choices, described: DataSourceKind.allCases.map(\.summary)))),
        ])
        return section(
            SectionFields.data,
            [("transforms", Values.described(Values.list(transform, minimum: 0), "applied in order to every input sample of both splits")),
             ("target", Values.described(.object([("const", .string("input"))]), "each sample's input, after the transforms, is its target")),
             ("train", Values.described(split, "the training split")),
             ("test", Values.described(split, "the test split"))],
            "where samples come from, how they are transformed and batched")
    }

    static func train(scheduler: JSONValue) -> JSONValue {
        section(
            SectionFields.train,
            [("scheduler", Values.described(scheduler, "a learning-rate scheduler of torch.optim.lr_scheduler")),
             ("clip_grad_norm", Values.described(
                SchemaMappings.closed([], arguments: GradientClipping.arguments, .network),
                "scale the gradients to a total norm of at most max_norm (torch.nn.utils.clip_grad_norm_)"))],
            "epochs, steps, seed, learning-rate scheduler, gradient clipping")
    }

    static var expect: JSONValue {
        let sizes = Values.list(Values.integer(.nonNegative, .network), minimum: 0)
        let golden = SchemaMappings.closed([], arguments: SectionFields.golden, .network)
        return section(
            SectionFields.expect,
            [("output", shape("the network output shape")),
             ("named_parameters", Values.described(
                .object([("type", .string("object")), ("additionalProperties", sizes)]), "parameter names to their shapes")),
             ("train", section(SectionFields.testTraining, [], "how long nnspec test trains (default: the spec's train:)")),
             ("final_loss", Values.described(
                SchemaMappings.closed([], arguments: SectionFields.finalLoss, .network), "the final training loss, within tolerance")),
             ("golden", Values.described(
                Values.anyOf([Values.argument(SectionFields.expectedFile, .network), golden]), "a JSON file of recorded results"))],
            "what nnspec test checks")
    }
}
