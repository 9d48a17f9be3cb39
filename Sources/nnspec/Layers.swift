import ArgumentParser
import NNSpec

/// `nnspec layers [TYPE]`: the layer catalogue, from the registry itself.
struct Layers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the layer types, or one type's arguments, defaults and shape rule.")

    @Argument(help: "A layer type, such as Conv2d.")
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
        guard let layer = LayerRegistry.layer(named: type) else {
            throw ValidationError("unknown layer type '\(type)'; `nnspec layers` lists the known types")
        }
        write(CatalogueText.layerDetail(layer))
    }
}
