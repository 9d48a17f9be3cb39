import ArgumentParser
import NNSpec

/// `nnspec summary FILE`: the torchinfo-style table of a valid spec; the diagnostics otherwise.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print each layer's output shape, parameters and mult-adds, with totals.")

    @Argument(help: "The spec file.")
    var file: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let result = SpecValidator.validate(file: file)
        switch output.format {
        case .json:
            write(DiagnosticJSONRenderer.render([(result.file, result.isValid, result.diagnostics)]))
        case .text:
            write(output.textRenderer.render(result.diagnostics, source: result.source))
        }
        guard let spec = result.spec else { throw ExitCode(1) }
        if output.format == .text { write(SummaryTable.render(spec)) }
    }
}
