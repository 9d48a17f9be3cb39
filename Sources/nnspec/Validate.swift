import ArgumentParser
import NNCatalogue
import NNRun
import NNSpec

/// `nnspec validate FILE...`: every problem of every file, exit 0 when all are valid, else 1.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check specs: YAML, keys, arguments, the whole shape flow, loss, optimizer and data.")

    @Argument(help: "Spec files to check ('-': standard input).", completion: .spec)
    var files: [String]

    @Flag(name: .shortAndLong, help: "Print each layer's output shape.")
    var verbose = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var access: FileAccessOptions

    @OptionGroup var colors: ColorOptions

    func run() throws {
        let console = colors.console
        let results = files.map { SpecValidator.standard.validate(file: $0, fileAccess: access.fileAccess) }
        switch output.format {
        case .json:
            console.output(DiagnosticJSONRenderer.render(results.map { ($0.file, $0.isValid, $0.diagnostics) }))
        case .text:
            let renderer = DiagnosticTextRenderer(colored: console.colorsOutput)
            for result in results {
                if verbose { console.output(flowListing(result)) }
                console.output(renderer.render(result.diagnostics, source: result.source))
                if result.isValid { console.output("\(result.file): valid\n") }
            }
        }
        if results.contains(where: { !$0.isValid }) { throw ExitCode(1) }
    }

    /// "input [N, 1, 32, 32]" then one line per layer: "conv1  Conv2d  [N, 6, 28, 28]".
    private func flowListing(_ result: ValidationResult) -> String {
        guard !result.trace.isEmpty else { return "" }
        let nameWidth = max(5, result.trace.map(\.name.count).max() ?? 0)
        let typeWidth = max(4, result.trace.map(\.typeName.count).max() ?? 0)
        var text = "\(result.file):\n"
        if let input = result.input {
            text += "  " + "input".padding(nameWidth + typeWidth + 2) + "  \(input)\n"
        }
        for layer in result.trace {
            text += "  \(layer.name.padding(nameWidth))  \(layer.typeName.padding(typeWidth))  \(layer.output?.description ?? "?")\n"
        }
        return text
    }
}

extension String {
    /// The text padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
