import ArgumentParser
import NNRun
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

    /// An unknown type is a usage error, answered with the closest known type.
    func validate() throws {
        guard !markdown, let type, LayerRegistry.layer(named: type) == nil, CatalogueText.componentDetail(type) == nil else {
            return
        }
        let suggestion = Suggestion.hint(for: type, in: CatalogueText.allTypeNames).map { " (\($0))" } ?? ""
        throw ValidationError("unknown type '\(type)'\(suggestion); `nnspec layers` lists the layer types")
    }

    func run() throws {
        let console = Console.standard()
        if markdown {
            console.output(CatalogueText.markdown())
        } else if let type {
            console.output(LayerRegistry.layer(named: type).map(CatalogueText.layerDetail) ?? CatalogueText.componentDetail(type) ?? "")
        } else {
            console.output(CatalogueText.layerList())
        }
    }
}
