import ArgumentParser
import NNSpec

/// The `nnspec` command line. A subcommand is one file here plus one entry in `subcommands`.
@main
struct NNSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnspec",
        abstract: "A neural network as a checked document: validate, summarise and train YAML specs.",
        discussion: """
            A SPEC argument of '-' reads the spec from standard input (diagnostics name it <stdin>; its \
            relative paths are taken from the working directory). Usage errors (an unknown option, or a \
            value out of its range) exit 64. Shell completions: `nnspec --generate-completion-script bash|zsh|fish`.
            """,
        version: ToolVersion.current,
        subcommands: [
            Validate.self,
            Summary.self,
            Graph.self,
            Train.self,
            Predict.self,
            Eval.self,
            Sample.self,
            Layers.self,
            Schema.self,
            Test.self,
            Bench.self,
            Report.self,
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
