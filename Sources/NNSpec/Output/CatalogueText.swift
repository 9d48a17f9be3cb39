/// A catalogue as `nnspec layers` prints it, and as Markdown for docs/spec-format.md —
/// both generated from the catalogue, so the documentation cannot drift from the validator.
public struct CatalogueText {
    public let catalogue: Catalogue

    public init(_ catalogue: Catalogue) {
        self.catalogue = catalogue
    }

    /// One line per layer type: name, inputs, summary.
    public func layerList() -> String {
        let width = catalogue.layerTypeNames.map(\.count).max() ?? 0
        return catalogue.layers.map { layer in
            layer.typeName + String(repeating: " ", count: width - layer.typeName.count + 2) + layer.summary
        }.joined(separator: "\n") + "\n"
    }

    /// One layer type in detail: summary, shape rule, inputs, arguments with types and defaults.
    public func layerDetail(_ layer: any LayerDefinition) -> String {
        "\(layer.typeName): \(layer.summary)\n  shape:  \(layer.shapeRule)\n  inputs: \(layer.arity.description)\n"
            + Self.argumentList(layer.arguments, nested: Self.rows(layer.nestedLayers))
    }

    /// A loss, optimizer or scheduler in detail, or nil when `typeName` is none of them.
    public func componentDetail(_ typeName: String) -> String? {
        guard let (kind, component) = catalogue.component(named: typeName) else { return nil }
        let place = kind == "scheduler" ? "scheduler (train.scheduler)" : kind
        return "\(component.typeName) (\(place)): \(component.summary)\n"
            + Self.argumentList(component.arguments, nested: Self.rows(component.nestedComponents))
    }

    /// An argument whose value is a layer or a list of components: name, type, default (nil: required), meaning.
    private typealias NestedRow = (name: String, type: String, defaultValue: String?, summary: String)

    private static func rows(_ nested: NestedComponents?) -> [NestedRow] {
        nested.map { [($0.name, NestedComponents.typeDescription, nil, $0.summary)] } ?? []
    }

    private static func rows(_ nested: [NestedLayerKey]) -> [NestedRow] {
        nested.map { ($0.name, $0.typeDescription, $0.isRequired ? nil : "None", $0.summary) }
    }

    /// The arguments, then those whose values are layers or components.
    private static func argumentList(_ arguments: [ArgumentSpec], nested: [NestedRow]) -> String {
        guard !arguments.isEmpty || !nested.isEmpty else { return "  no arguments\n" }
        let width = (arguments.map(\.name.count) + nested.map(\.name.count)).max() ?? 0
        let padded = { (name: String) in name + String(repeating: " ", count: width - name.count) }
        return "  arguments:\n"
            + arguments.map { argument in
                let requirement = argument.defaultValue.map { "default \($0)" } ?? "required"
                return "    \(padded(argument.name))  \(argument.typeDescription), \(requirement): \(argument.summary)\n"
            }.joined()
            + nested.map { "    \(padded($0.name))  \($0.type), \($0.defaultValue.map { "default \($0)" } ?? "required"): \($0.summary)\n" }.joined()
    }

    /// The whole catalogue in Markdown: layers, losses, optimizers, schedulers.
    public func markdown() -> String {
        var text = "## Layers\n\n"
        for layer in catalogue.layers {
            text += "### \(layer.typeName)\n\n\(layer.summary)\n\n"
            text += "Shape: `\(layer.shapeRule)`. Inputs: \(layer.arity.description).\n\n"
            text += Self.argumentTable(layer.arguments, nested: Self.rows(layer.nestedLayers))
        }
        let components: [(String, [any ComponentDefinition])] = [
            ("Losses", catalogue.losses), ("Optimizers", catalogue.optimizers), ("Schedulers (train.scheduler)", catalogue.schedulers),
        ]
        for (title, definitions) in components {
            text += "## \(title)\n\n"
            for component in definitions {
                text += "### \(component.typeName)\n\n\(component.summary).\n\n"
                    + Self.argumentTable(component.arguments, nested: Self.rows(component.nestedComponents))
            }
        }
        return text
    }

    /// The arguments' table, then rows for those whose values are layers or components.
    private static func argumentTable(_ arguments: [ArgumentSpec], nested: [NestedRow]) -> String {
        guard !arguments.isEmpty || !nested.isEmpty else { return "No arguments.\n\n" }
        var text = "| argument | type | default | meaning |\n|---|---|---|---|\n"
        for argument in arguments {
            let value = argument.defaultValue.map { "`\($0)`" } ?? "required"
            text += "| `\(argument.name)` | \(argument.typeDescription.replacing("|", with: "\\|")) | \(value) | \(argument.summary) |\n"
        }
        for row in nested {
            text += "| `\(row.name)` | \(row.type.replacing("|", with: "\\|")) | \(row.defaultValue.map { "`\($0)`" } ?? "required") | \(row.summary) |\n"
        }
        return text + "\n"
    }
}
