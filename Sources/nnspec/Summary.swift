import ArgumentParser
import NNCatalogue
import NNRun
import NNSpec

/// `nnspec summary FILE`: the torchinfo-style table of a valid spec, after its diagnostics
/// (`--format json`: one `nnspec.summary/1` document holding both).
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print each layer's output shape, parameters and mult-adds, with totals.")

    @Argument(help: "The spec file ('-': standard input).", completion: .spec)
    var file: String

    @Option(help: "Show the module tree down to this many levels, containers with the totals of what they hold (as torchinfo's depth); without it, every layer under its dotted name.")
    var depth: Int?

    @OptionGroup var output: OutputOptions
    @OptionGroup var access: FileAccessOptions

    @OptionGroup var colors: ColorOptions

    func validate() throws {
        if let depth, depth < 1 { throw ValidationError("--depth must be at least 1, not \(depth)") }
    }

    func run() throws {
        let console = colors.console
        let result = SpecValidator.standard.validate(file: file, fileAccess: access.fileAccess)
        switch output.format {
        case .json:
            console.output(SummaryTable.json(file: result.file, diagnostics: result.diagnostics, spec: result.spec))
        case .text:
            console.output(DiagnosticTextRenderer(colored: console.colorsOutput).render(result.diagnostics, source: result.source))
            if let spec = result.spec { console.output(SummaryTable.render(spec, depth: depth)) }
        }
        if !result.isValid { throw ExitCode(1) }
    }
}
