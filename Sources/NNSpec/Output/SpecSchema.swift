/// A JSON Schema (draft-07) of the spec format, generated from a catalogue, so that editors
/// using yaml-language-server complete and check keys, layer types and arguments.
public enum SpecSchema {
    /// The schema of specs naming the types of `catalogue`.
    public static func json(_ catalogue: Catalogue) -> String {
        root(catalogue).rendered() + "\n"
    }

    static func root(_ catalogue: Catalogue) -> JSONValue {
        .object([
            ("$schema", .string("http://json-schema.org/draft-07/schema#")),
            ("title", .string("nnspec neural network spec, version 1")),
            ("type", .string("object")),
            ("additionalProperties", .boolean(false)),
            ("required", .array(["nnspec", "input", "layers"].map(JSONValue.string))),
            (
                "properties",
                .object([
                    ("nnspec", .object([("const", .integer(1)), ("description", .string("format version"))])),
                    ("name", text("the module's class name")),
                    ("description", text("free text")),
                    ("input", shape("the data shape; the first dimension is the batch, e.g. [N, 1, 28, 28]")),
                    ("blocks", blocks),
                    ("layers", .object([("type", .string("array")), ("minItems", .integer(1)), ("items", anyOf(layerSchemas(catalogue.layers) + stepSchemas(catalogue)))])),
                    ("loss", component(catalogue.losses)),
                    ("optimizer", component(catalogue.optimizers)),
                    ("data", data),
                    ("train", train(schedulers: catalogue.schedulers)),
                    ("expect", expect),
                ])
            ),
        ])
    }

    static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string("object")), ("additionalProperties", .boolean(false))]
        if !required.isEmpty { fields.append(("required", .array(required.map(JSONValue.string)))) }
        fields.append(("properties", .object(properties)))
        return .object(fields)
    }

    static func anyOf(_ schemas: [JSONValue]) -> JSONValue { .object([("anyOf", .array(schemas))]) }
    static func type(_ name: String) -> JSONValue { .object([("type", .string(name))]) }
    static func text(_ description: String) -> JSONValue {
        .object([("type", .string("string")), ("description", .string(description))])
    }
    static func constant(_ value: String) -> JSONValue { .object([("const", .string(value))]) }

    /// An integer or an integer expression such as `16*5*5`.
    static let integerExpression = anyOf([
        type("integer"), .object([("type", .string("string")), ("pattern", .string("^[-+*/() 0-9]+$"))]),
    ])

    static func shape(_ description: String) -> JSONValue {
        .object([
            ("type", .string("array")), ("minItems", .integer(2)), ("description", .string(description)),
            ("items", anyOf([integerExpression, type("string")])),
        ])
    }

    static func pairOf(_ item: JSONValue) -> JSONValue {
        .object([("type", .string("array")), ("minItems", .integer(2)), ("maxItems", .integer(2)), ("items", item)])
    }

    static func listOf(_ item: JSONValue) -> JSONValue {
        .object([("type", .string("array")), ("minItems", .integer(1)), ("items", item)])
    }

    /// The schema of one argument kind, with its summary as the description.
    static func argument(_ spec: ArgumentSpec) -> JSONValue {
        let value: JSONValue
        switch spec.kind {
        case .integer: value = integerExpression
        case .integerOrAuto: value = anyOf([integerExpression, constant("auto")])
        case .integerPair: value = anyOf([integerExpression, pairOf(integerExpression)])
        case .padding: value = anyOf([integerExpression, pairOf(integerExpression), .object([("enum", .array([.string("same"), .string("valid")]))])])
        case .integers: value = anyOf([integerExpression, listOf(integerExpression)])
        case .real: value = type("number")
        case .realPair: value = pairOf(type("number"))
        case .reals: value = anyOf([type("number"), listOf(type("number"))])
        case .boolean: value = type("boolean")
        case .choice(let words): value = .object([("enum", .array(words.map(JSONValue.string)))])
        case .path: value = type("string")
        }
        guard case .object(var fields) = value else { return value }
        fields.append(("description", .string(spec.summary + (spec.defaultValue.map { " (default \($0))" } ?? " (required)"))))
        if spec.acceptsNone {
            return anyOf([.object(fields), type("null")])
        }
        return .object(fields)
    }

    static func layerSchemas(_ layers: [any LayerDefinition]) -> [JSONValue] {
        [.object([("enum", .array(layers.map { JSONValue.string($0.typeName) }))])]
            + layers.map { layer in
                object(
                    [
                        ("type", constant(layer.typeName)),
                        ("name", text("the PyTorch module name (default: the layer's index)")),
                        ("from", anyOf([type("string"), listOf(type("string"))])),
                    ] + layer.arguments.map { ($0.name, argument($0)) },
                    required: ["type"] + layer.arguments.filter(\.isRequired).map(\.name))
            }
    }

    /// A nested Sequential (its `layers` refer back to the network's layer schema), each
    /// functional step of the catalogue, and `use:`.
    static func stepSchemas(_ catalogue: Catalogue) -> [JSONValue] {
        let name = ("name", text("the PyTorch module name (default: the layer's index)"))
        let from = ("from", anyOf([type("string"), listOf(type("string"))]))
        let sequential = object(
            [("type", constant("Sequential")), name, from, ("when", type("boolean")),
             ("layers", .object([("type", .string("array")), ("minItems", .integer(1)),
                                 ("items", .object([("$ref", .string("#/properties/layers/items"))]))]))],
            required: ["type", "layers"])
        let functions = catalogue.functionals.compactMap { function -> JSONValue? in
            guard let layer = catalogue.layer(named: function.layerType) else { return nil }
            let arguments = function.arguments(of: layer)
            return object(
                [("call", constant(function.name)), ("name", text("a name for from: (no module is registered)")), from]
                    + arguments.map { ($0.name, argument($0)) },
                required: ["call"] + arguments.filter(\.isRequired).map(\.name))
        }
        let use = object([("use", text("a module registered earlier in the same list, applied again")), from], required: ["use"])
        let block = JSONValue.object([
            ("type", .string("object")), ("required", .array([.string("block")])),
            ("properties", .object([("block", text("a block of blocks:; its arguments follow")), name, from,
                                    ("repeat", anyOf([integerExpression, listOf(type("object"))])), ("when", type("boolean"))])),
        ])
        return [sequential] + functions + [use, block]
    }

    /// `blocks:`: class names to their arguments (a type or a default) and layers.
    static var blocks: JSONValue {
        .object([
            ("type", .string("object")),
            ("additionalProperties", object(
                [("arguments", .object([("type", .string("object")),
                                        ("additionalProperties", anyOf([.object([("enum", .array(["int", "float", "bool"].map(JSONValue.string)))]),
                                                                        type("number"), type("boolean")]))])),
                 ("layers", .object([("$ref", .string("#/properties/layers"))]))],
                required: ["layers"])),
        ])
    }

    static func component(_ catalogue: [any ComponentDefinition]) -> JSONValue {
        anyOf(
            [.object([("enum", .array(catalogue.map { .string($0.typeName) }))])]
                + catalogue.map { definition in
                    object(
                        [("type", constant(definition.typeName))] + definition.arguments.map { ($0.name, argument($0)) },
                        required: ["type"] + definition.arguments.filter(\.isRequired).map(\.name))
                })
    }

    static var data: JSONValue {
        let transforms = listOf(anyOf(DataTransformKind.allCases.map { kind in
            let value: JSONValue = switch kind {
            case .normalize: object(kind.arguments.map { ($0.name, argument($0)) }, required: kind.arguments.map(\.name))
            case .scale, .pad: argument(kind.arguments[0])
            }
            return object([(kind.rawValue, value)], required: [kind.rawValue])
        }))
        let source = anyOf(DataSourceKind.allCases.map { kind in
            object(
                [("source", constant(kind.rawValue))] + kind.arguments.map { ($0.name, argument($0)) },
                required: ["source"] + kind.arguments.filter(\.isRequired).map(\.name))
        })
        let positive = integerExpression
        return object([
            ("batch_size", positive), ("shuffle", type("boolean")), ("drop_last", type("boolean")), ("transforms", transforms),
            ("target", constant("input")),
            ("train", source), ("test", source),
        ])
    }

    static func train(schedulers: [any ComponentDefinition]) -> JSONValue {
        object([
            ("epochs", integerExpression), ("steps", integerExpression), ("seed", integerExpression),
            ("scheduler", component(schedulers)),
            (
                "clip_grad_norm",
                object(GradientClipping.arguments.map { ($0.name, argument($0)) },
                       required: GradientClipping.arguments.filter(\.isRequired).map(\.name))
            ),
        ])
    }

    static var expect: JSONValue {
        object([
            ("parameters", integerExpression),
            ("output", shape("the network output shape")),
            ("named_parameters", .object([("type", .string("object")), ("additionalProperties", .object([("type", .string("array")), ("items", type("integer"))]))])),
            ("train", object([("steps", integerExpression), ("epochs", integerExpression), ("init", type("string"))])),
            ("loss_below", type("number")),
            ("loss_above", type("number")),
            ("accuracy_at_least", type("number")),
            ("final_loss", object([("value", type("number")), ("tolerance", type("number"))], required: ["value"])),
            (
                "golden",
                anyOf([type("string"), object([("file", type("string")), ("tolerance", type("number"))], required: ["file"])])
            ),
        ])
    }
}
