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
        var text = "\(layer.typeName): \(layer.summary)\n"
        text += "  shape:  \(layer.shapeRule)\n"
        text += "  inputs: \(layer.arity.description)\n"
        text += layer.arguments.isEmpty ? "  no arguments\n" : "  arguments:\n"
        let width = layer.arguments.map(\.name.count).max() ?? 0
        for argument in layer.arguments {
            let name = argument.name + String(repeating: " ", count: width - argument.name.count)
            let requirement = argument.defaultValue.map { "default \($0)" } ?? "required"
            text += "    \(name)  \(argument.typeDescription), \(requirement): \(argument.summary)\n"
        }
        return text
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
