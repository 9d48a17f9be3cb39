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
            + Self.argumentList(layer.arguments)
    }

    /// A loss, optimizer or scheduler in detail, or nil when `typeName` is none of them.
    public func componentDetail(_ typeName: String) -> String? {
        guard let (kind, component) = catalogue.component(named: typeName) else { return nil }
        let place = kind == "scheduler" ? "scheduler (train.scheduler)" : kind
        return "\(component.typeName) (\(place)): \(component.summary)\n"
            + Self.argumentList(component.arguments, nested: component.nestedComponents)
    }

    /// The arguments, then the nested list when the component has one.
    private static func argumentList(_ arguments: [ArgumentSpec], nested: NestedComponents? = nil) -> String {
        guard !arguments.isEmpty || nested != nil else { return "  no arguments\n" }
        let width = (arguments.map(\.name.count) + [nested?.name.count ?? 0]).max() ?? 0
        let padded = { (name: String) in name + String(repeating: " ", count: width - name.count) }
        return "  arguments:\n"
            + arguments.map { argument in
                let requirement = argument.defaultValue.map { "default \($0)" } ?? "required"
                return "    \(padded(argument.name))  \(argument.typeDescription), \(requirement): \(argument.summary)\n"
            }.joined()
            + (nested.map { "    \(padded($0.name))  \(NestedComponents.typeDescription), required: \($0.summary)\n" } ?? "")
    }

    /// The whole catalogue in Markdown: layers, losses, optimizers, schedulers.
    public func markdown() -> String {
        var text = "## Layers\n\n"
        for layer in catalogue.layers {
            text += "### \(layer.typeName)\n\n\(layer.summary)\n\n"
            text += "Shape: `\(layer.shapeRule)`. Inputs: \(layer.arity.description).\n\n"
            text += Self.argumentTable(layer.arguments)
        }
        let components: [(String, [any ComponentDefinition])] = [
            ("Losses", catalogue.losses), ("Optimizers", catalogue.optimizers), ("Schedulers (train.scheduler)", catalogue.schedulers),
        ]
        for (title, definitions) in components {
            text += "## \(title)\n\n"
            for component in definitions {
                text += "### \(component.typeName)\n\n\(component.summary).\n\n"
                    + Self.argumentTable(component.arguments, nested: component.nestedComponents)
            }
        }
        return text
    }

    /// The arguments' table, with a row for the nested list when there is one.
    private static func argumentTable(_ arguments: [ArgumentSpec], nested: NestedComponents? = nil) -> String {
        guard !arguments.isEmpty || nested != nil else { return "No arguments.\n\n" }
        var text = "| argument | type | default | meaning |\n|---|---|---|---|\n"
        for argument in arguments {
            let value = argument.defaultValue.map { "`\($0)`" } ?? "required"
            text += "| `\(argument.name)` | \(argument.typeDescription.replacing("|", with: "\\|")) | \(value) | \(argument.summary) |\n"
        }
        if let nested {
            text += "| `\(nested.name)` | \(NestedComponents.typeDescription) | required | \(nested.summary) |\n"
        }
        return text + "\n"
    }
}
