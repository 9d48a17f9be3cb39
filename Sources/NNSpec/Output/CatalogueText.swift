/// The catalogue as `nnspec layers` prints it, and as Markdown for docs/spec-format.md —
/// both generated from the registries, so the documentation cannot drift from the validator.
public enum CatalogueText {
    /// One line per layer type: name, inputs, summary.
    public static func layerList() -> String {
        let width = LayerRegistry.typeNames.map(\.count).max() ?? 0
        return LayerRegistry.all.map { layer in
            layer.typeName + String(repeating: " ", count: width - layer.typeName.count + 2) + layer.summary
        }.joined(separator: "\n") + "\n"
    }

    /// One layer type in detail: summary, shape rule, inputs, arguments with types and defaults.
    public static func layerDetail(_ layer: any LayerDefinition) -> String {
        "\(layer.typeName): \(layer.summary)\n  shape:  \(layer.shapeRule)\n  inputs: \(layer.arity.description)\n"
            + argumentList(layer.arguments)
    }

    /// A loss, optimizer or scheduler in detail, or nil when `typeName` is none of them.
    public static func componentDetail(_ typeName: String) -> String? {
        let catalogues = [
            ("loss", LossCatalogue.all), ("optimizer", OptimizerCatalogue.all), ("scheduler (train.scheduler)", SchedulerCatalogue.all),
        ]
        for (kind, catalogue) in catalogues {
            if let component = catalogue.named(typeName) {
                return "\(component.typeName) (\(kind)): \(component.summary)\n" + argumentList(component.arguments)
            }
        }
        return nil
    }

    /// Every type name a spec may use, for suggestions.
    public static var allTypeNames: [String] {
        LayerRegistry.typeNames + (LossCatalogue.all + OptimizerCatalogue.all + SchedulerCatalogue.all).map(\.typeName)
    }

    private static func argumentList(_ arguments: [ArgumentSpec]) -> String {
        guard !arguments.isEmpty else { return "  no arguments\n" }
        let width = arguments.map(\.name.count).max() ?? 0
        return "  arguments:\n"
            + arguments.map { argument in
                let name = argument.name + String(repeating: " ", count: width - argument.name.count)
                let requirement = argument.defaultValue.map { "default \($0)" } ?? "required"
                return "    \(name)  \(argument.typeDescription), \(requirement): \(argument.summary)\n"
            }.joined()
    }

    /// The whole catalogue in Markdown: layers, losses, optimizers, schedulers.
    public static func markdown() -> String {
        var text = "## Layers\n\n"
        for layer in LayerRegistry.all {
            text += "### \(layer.typeName)\n\n\(layer.summary)\n\n"
            text += "Shape: `\(layer.shapeRule)`. Inputs: \(layer.arity.description).\n\n"
            text += argumentTable(layer.arguments)
        }
        for (title, catalogue) in [
            ("Losses", LossCatalogue.all), ("Optimizers", OptimizerCatalogue.all), ("Schedulers (train.scheduler)", SchedulerCatalogue.all),
        ] {
            text += "## \(title)\n\n"
            for component in catalogue {
                text += "### \(component.typeName)\n\n\(component.summary).\n\n" + argumentTable(component.arguments)
            }
        }
        return text
    }

    private static func argumentTable(_ arguments: [ArgumentSpec]) -> String {
        guard !arguments.isEmpty else { return "No arguments.\n\n" }
        var text = "| argument | type | default | meaning |\n|---|---|---|---|\n"
        for argument in arguments {
            let value = argument.defaultValue.map { "`\($0)`" } ?? "required"
            text += "| `\(argument.name)` | \(argument.typeDescription.replacing("|", with: "\\|")) | \(value) | \(argument.summary) |\n"
        }
        return text + "\n"
    }
}
