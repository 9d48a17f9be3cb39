import ArgumentParser

/// The `nnspec` command line. A subcommand is one file here plus one entry in `subcommands`.
@main
struct NNSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnspec",
        abstract: "A neural network as a checked document: validate, summarise and train YAML specs.",
        subcommands: [
            Validate.self,
            Summary.self,
            Train.self,
            Layers.self,
            Schema.self,
            Test.self,
            Bench.self,
            Export.self,
        ]
    )

    /// Parses the command line, applies a computing subcommand's process settings, then runs it
    /// (swift-argument-parser's `main`, with the settings step between).
    static func main() {
        do {
            var command = try parseAsRoot()
            (command as? any ComputingCommand)?.processSettings.apply()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
