import ArgumentParser
import NNCatalogue
import NNRun
import NNSpec

/// `nnspec schema`: a JSON Schema of the format, for editors using yaml-language-server.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema of the spec format (for yaml-language-server).")

    func run() throws {
        Console.standard().output(SpecSchema.json(StandardCatalogue.catalogue))
    }
}
