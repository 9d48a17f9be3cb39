import ArgumentParser
import NNCatalogue
import NNRun
import NNSpec

/// `nnspec layers [TYPE]`: the layer catalogue, from the catalogue itself.
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
        let catalogue = StandardCatalogue.catalogue
        guard !markdown, let type, catalogue.layer(named: type) == nil, catalogue.component(named: type) == nil else {
            return
        }
        let suggestion = Suggestion.hint(for: type, in: catalogue.allTypeNames).map { " (\($0))" } ?? ""
        throw ValidationError("unknown type '\(type)'\(suggestion); `nnspec layers` lists the layer types")
    }

    func run() throws {
        let console = Console.standard()
        let text = CatalogueText(StandardCatalogue.catalogue)
        if markdown {
            console.output(text.markdown())
        } else if let type {
            console.output(StandardCatalogue.catalogue.layer(named: type).map(text.layerDetail) ?? text.componentDetail(type) ?? "")
        } else {
            console.output(text.layerList())
        }
    }
}
