/// The schema of a mapping of arguments, and of a mapping whose discriminating key (`type:`,
/// `source:`) chooses the arguments: one `if`/`then` per choice, so that a mistake in one
/// mapping is one error at the key that is wrong, as nnspec reports it.
enum SchemaMappings {
    typealias Context = SchemaValues.Context

    /// A closed mapping of `fixed` keys and `arguments`. Unknown keys are refused
    /// (`additionalProperties: false`); missing required arguments only when every key is
    /// known, so that a misspelt required argument (`kernal_size`) is one error, at the
    /// misspelt key, not a second one for the argument it was meant to be. A section's fields
    /// (`optionalArguments`) are never required, even without a default.
    static func closed(
        _ fixed: [(String, JSONValue)], arguments: [ArgumentSpec], required: [String] = [], optionalArguments: Bool = false,
        _ context: Context
    ) -> JSONValue {
        let properties = fixed + arguments.map { ($0.name, SchemaValues.argument($0, context, optional: optionalArguments)) }
        var fields: [(String, JSONValue)] = [
            ("type", .string("object")), ("properties", .object(properties)), ("additionalProperties", .boolean(false)),
        ]
        let needed = required + (optionalArguments ? [] : arguments.filter(\.isRequired).map(\.name))
        if !needed.isEmpty {
            fields += [
                ("if", .object([("propertyNames", SchemaValues.words(properties.map(\.0)))])),
                ("then", .object([("required", .array(needed.map(JSONValue.string)))])),
            ]
        }
        return .object(fields)
    }

    /// `then` for every choice whose `key` is written as that choice: `{"if": {key: const},
    /// "then": {"$ref": …}}`, and the key's value among `choices`.
    static func dispatch(on key: String, choices: [(name: String, reference: String)], described descriptions: [String]) -> [JSONValue] {
        let names = choices.map { JSONValue.string($0.name) }
        let known = JSONValue.object([
            ("if", .object([("required", .array([.string(key)]))])),
            ("then", .object([("properties", .object([
                (key, .object([("enum", .array(names)), ("enumDescriptions", .array(descriptions.map(JSONValue.string)))])),
            ]))])),
        ])
        return [known] + choices.map { choice in
            .object([
                ("if", .object([("required", .array([.string(key)])), ("properties", .object([(key, .object([("const", .string(choice.name))]))]))])),
                ("then", reference(choice.reference)),
            ])
        }
    }

    static func reference(_ name: String) -> JSONValue { .object([("$ref", .string("#/$defs/\(name)"))]) }

    /// The `$defs` name of a definition: `layer.Conv2d`, `block.layer.Conv2d`.
    static func definitionName(_ kind: String, _ name: String, _ context: Context = .network) -> String {
        (context == .block ? "block." : "") + kind + "." + name
    }

    /// A loss, optimizer or scheduler: a bare type name (one without required arguments) or a
    /// mapping with `type:` and the type's arguments, each type a definition named `kind.Type`.
    static func component(_ definitions: [any ComponentDefinition], kind: String) -> (schema: JSONValue, definitions: [(String, JSONValue)]) {
        let choices = definitions.map { (name: $0.typeName, reference: definitionName(kind, $0.typeName)) }
        let bare = definitions.filter { !$0.arguments.contains(where: \.isRequired) }
        let schema = JSONValue.object([
            ("if", SchemaValues.type("string")),
            ("then", .object([("enum", .array(bare.map { .string($0.typeName) })), ("enumDescriptions", .array(bare.map { .string($0.summary) }))])),
            ("else", .object([
                ("type", .string("object")), ("required", .array([.string("type")])),
                ("allOf", .array(dispatch(on: "type", choices: choices, described: definitions.map(\.summary)))),
            ])),
        ])
        let schemas = definitions.map { definition in
            (definitionName(kind, definition.typeName),
             closed([("type", typeName(definition.typeName, definition.summary))] + nestedList(definition, in: definitions, kind: kind),
                    arguments: definition.arguments, required: definition.nestedComponents.map { [$0.name] } ?? [], .network))
        }
        return (schema, schemas)
    }

    /// The key of `definition`'s nested components (SequentialLR's `schedulers`), if it has one: a
    /// non-empty list of the catalogue's components that nest none themselves.
    private static func nestedList(
        _ definition: any ComponentDefinition, in definitions: [any ComponentDefinition], kind: String
    ) -> [(String, JSONValue)] {
        guard let nested = definition.nestedComponents else { return [] }
        let items = component(definitions.filter { $0.nestedComponents == nil }, kind: kind).schema
        return [(nested.name, SchemaValues.described(SchemaValues.list(items, minimum: 1), nested.summary))]
    }

    /// The `type:` (or `call:`, `source:`) of one choice, with its summary.
    static func typeName(_ name: String, _ summary: String) -> JSONValue {
        .object([("const", .string(name)), ("description", .string(summary))])
    }
}
