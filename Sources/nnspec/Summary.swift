import ArgumentParser
import NNSpec

/// `nnspec summary FILE`: the torchinfo-style table of a valid spec (`--format json`: the same as
/// JSON); the diagnostics otherwise.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print each layer's output shape, parameters and mult-adds, with totals.")

    @Argument(help: "The spec file.")
    var file: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var access: FileAccessOptions

    func run() throws {
        let result = SpecValidator.validate(file: file, fileAccess: access.fileAccess)
        switch (output.format, result.spec) {
        case (.json, let spec?):
            write(SummaryTable.json(spec))
        case (.json, nil):
            write(DiagnosticJSONRenderer.render([(result.file, result.isValid, result.diagnostics)]))
        case (.text, let spec):
            write(output.textRenderer.render(result.diagnostics, source: result.source))
            if let spec { write(SummaryTable.render(spec)) }
        }
        if !result.isValid { throw ExitCode(1) }
    }
}
