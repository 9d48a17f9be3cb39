import NNData

/// The JSON Schema of one argument's value, generated from its `ArgumentSpec`: the kind's type,
/// the range `ValueParser` enforces (`minimum`, `exclusiveMinimum` …, and the size limit), the
/// default and the catalogue's summary. An integer may be written as arithmetic (`16*5*5`), which
/// YAML reads as text, so each integer also admits text of digits and operators; a quoted number
/// (`"784"`) is text that nnspec refuses, and so does the schema.
enum SchemaValues {
    /// Where a value is written: in a block's layers a value may also name the block's arguments
    /// (`out_channels: planes*4`, `bias: downsample`), which are written in before nnspec checks it.
    enum Context {
        case network, block
    }

    static func type(_ name: String) -> JSONValue { .object([("type", .string(name))]) }
    static func anyOf(_ schemas: [JSONValue]) -> JSONValue { .object([("anyOf", .array(schemas))]) }
    static func words(_ words: [String]) -> JSONValue { .object([("enum", .array(words.map(JSONValue.string)))]) }

    /// A Python identifier: layer, block and argument names, the batch dimension's name.
    static let identifier = JSONValue.object([("type", .string("string")), ("pattern", .string("^[A-Za-z_][A-Za-z0-9_]*$"))])

    /// What YAML reads as a scalar other than null (nnspec takes its text): names, paths, free text.
    static let scalarText = JSONValue.object([("type", .array(["string", "number", "boolean"].map(JSONValue.string)))])

    /// `fields` with `description` (and `default`) appended.
    static func described(_ schema: JSONValue, _ description: String, default value: ArgumentValue? = nil) -> JSONValue {
        guard case .object(var fields) = schema else { return schema }
        fields.append(("description", .string(description)))
        if let value { fields.append(("default", json(value))) }
        return .object(fields)
    }

    /// The schema of an argument as the catalogue declares it: kind, range, `None`, default, summary.
    /// An `optional` one without a default may be left out (a section's `steps`).
    static func argument(_ spec: ArgumentSpec, _ context: Context, optional: Bool = false) -> JSONValue {
        var value = kind(spec.kind, context)
        if spec.acceptsNone { value = anyOf([value, type("null")]) }
        let requirement = spec.defaultValue.map { "; default \($0)" } ?? (optional ? "" : "; required")
        return described(value, "\(spec.summary) (\(spec.typeDescription)\(requirement))", default: spec.defaultValue)
    }

    /// The values `ValueParser.parse(_:as:)` accepts for `kind`.
    static func kind(_ kind: ArgumentSpec.Kind, _ context: Context) -> JSONValue {
        switch kind {
        case .integer(let range): return integer(range, context)
        case .integerOrAuto(let range): return anyOf([integer(range, context), .object([("const", .string("auto"))])])
        case .integerPair(let range): return integerPair(range, context)
        case .padding: return anyOf([integerPair(.nonNegative, context), words(["same", "valid"])])
        case .integers(let range): return anyOf([integer(range, context), list(integer(range, context), minimum: 1)])
        case .real(let range): return real(range, context)
        case .realPair(let range): return list(real(range, context), minimum: 2, maximum: 2)
        case .reals(let range): return anyOf([real(range, context), list(real(range, context), minimum: 1)])
        case .boolean: return context == .network ? type("boolean") : anyOf([type("boolean"), identifier])
        case .choice(let choices): return words(choices)
        case .path: return scalarText
        case .moduleName: return scalarText
        case .column: return csvColumn
        case .columns: return anyOf([csvColumn, list(csvColumn, minimum: 1)])
        }
    }

    /// An integer in `range` and within the size limit, or integer arithmetic (whose value the
    /// schema cannot check).
    static func integer(_ range: ArgumentSpec.IntegerRange, _ context: Context) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string("integer"))]
        switch range {
        case .any: fields.append(("minimum", .integer(-maximumSize)))
        case .positive: fields.append(("exclusiveMinimum", .integer(0)))
        case .nonNegative: fields.append(("minimum", .integer(0)))
        case .sizeOrMinusOne: fields += [("minimum", .integer(-1)), ("not", .object([("const", .integer(0))]))]
        }
        fields.append(("maximum", .integer(maximumSize)))
        return anyOf([.object(fields), expression(context)])
    }

    /// Text that `IntegerExpression` may evaluate (in a block, with argument names), never a
    /// plain integer in quotes.
    static func expression(_ context: Context) -> JSONValue {
        let characters = context == .network ? "-+*/() 0-9" : "-+*/() 0-9A-Za-z_"
        return .object([
            ("type", .string("string")), ("pattern", .string("^[\(characters)]+$")),
            ("not", .object([("pattern", .string("^[-+]?[0-9]+$"))])),
        ])
    }

    static func integerPair(_ range: ArgumentSpec.IntegerRange, _ context: Context) -> JSONValue {
        anyOf([integer(range, context), list(integer(range, context), minimum: 2, maximum: 2)])
    }

    /// A finite number in `range` (in a block, also a float argument's name).
    static func real(_ range: ArgumentSpec.RealRange, _ context: Context) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string("number"))]
        switch range {
        case .any: break
        case .positive: fields.append(("exclusiveMinimum", .integer(0)))
        case .nonNegative: fields.append(("minimum", .integer(0)))
        case .closedUnit: fields += [("minimum", .integer(0)), ("maximum", .integer(1))]
        case .halfOpenUnit: fields += [("minimum", .integer(0)), ("exclusiveMaximum", .integer(1))]
        }
        return context == .network ? .object(fields) : anyOf([.object(fields), identifier])
    }

    static func list(_ item: JSONValue, minimum: Int, maximum: Int? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string("array")), ("minItems", .integer(minimum))]
        if let maximum { fields.append(("maxItems", .integer(maximum))) }
        fields.append(("items", item))
        return .object(fields)
    }

    /// A CSV column as written: its index, or its name in the header row.
    static var csvColumn: JSONValue { anyOf([integer(.nonNegative, .network), type("string")]) }

    /// A CSV column as JSON: its index, or its name.
    static func column(_ column: CSVColumn) -> JSONValue {
        switch column {
        case .index(let index): .integer(index)
        case .name(let name): .string(name)
        }
    }

    /// A default as JSON: `[3, 3]` for a pair, `null` for None.
    static func json(_ value: ArgumentValue) -> JSONValue {
        switch value {
        case .integer(let number): .integer(number)
        case .pair(let first, let second): .array([.integer(first), .integer(second)])
        case .real(let number): .number(number)
        case .realPair(let first, let second): .array([.number(first), .number(second)])
        case .boolean(let flag): .boolean(flag)
        case .text(let text): .string(text)
        case .integers(let numbers): .array(numbers.map(JSONValue.integer))
        case .reals(let numbers): .array(numbers.map(JSONValue.number))
        case .columns(let columns):
            columns.count == 1 ? column(columns[0]) : .array(columns.map(column))
        case .none: .null
        case .auto: .string("auto")
        }
    }
}
