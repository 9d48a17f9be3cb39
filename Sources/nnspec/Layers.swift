import ArgumentParser
import NNSpec

/// `nnspec layers [TYPE]`: the layer catalogue, from the registry itself.
struct Layers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "List the layer types, or one type's arguments, defaults and shape rule.")

    @Argument(help: "A layer, loss, optimizer or scheduler type, such as Conv2d or SGD.")
    var type: String?

    @Flag(help: "Print the whole catalogue (layers, losses, optimizers, schedulers) as Markdown.")
    var markdown = false

    func run() throws {
        if markdown {
            write(CatalogueText.markdown())
            return
        }
        guard let type else {
            write(CatalogueText.layerList())
            return
        }
        if let layer = LayerRegistry.layer(named: type) {
            write(CatalogueText.layerDetail(layer))
        } else if let component = CatalogueText.componentDetail(type) {
            write(component)
        } else {
            let suggestion = Suggestion.hint(for: type, in: CatalogueText.allTypeNames).map { " (\($0))" } ?? ""
            throw ValidationError("unknown type '\(type)'\(suggestion); `nnspec layers` lists the layer types")
        }
    }
}
