import ArgumentParser
import NNCatalogue
import NNRun
import NNSpec

/// `nnspec export SPEC --to pytorch --output DIR`: the spec as PyTorch code (see PyTorchExport).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a spec's network and training as PyTorch code (model.py, train.py for python or torchrun).",
        discussion: """
            --to pytorch writes DIR/model.py (the network, named and printed as nnspec's), DIR/train.py (the \
            spec's data, loss, optimizer and schedule; runs under python and torchrun) and DIR/README.md; with \
            --weights, the weights (checked against the network) as DIR/weights.safetensors.

            Files nnspec wrote before are replaced; any other existing file only with --force. \
            Exit status: 0 written, 1 invalid spec, weights or output, or a layer that cannot be exported.
            """)

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case pytorch
    }

    @Argument(help: "The spec file.")
    var file: String

    @Option(help: "What to write: pytorch.")
    var to: Target

    @Option(help: ArgumentHelp("The output directory.", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("Trained weights to include (safetensors, PyTorch names, strict).", valueName: "weights.safetensors"))
    var weights: String?

    @Flag(help: "Replace existing regular files nnspec did not write.")
    var force = false

    @OptionGroup var access: FileAccessOptions

    @OptionGroup var colors: ColorOptions

    func run() throws {
        let console = colors.console
        let validation = SpecValidator.standard.validate(file: file, fileAccess: access.fileAccess)
        if !validation.diagnostics.isEmpty {
            console.error(DiagnosticTextRenderer(colored: console.colorsError).render(validation.diagnostics, source: validation.source))
        }
        guard let spec = validation.spec else { throw ExitCode(1) }
        do {
            let names = try PyTorchExport.write(spec, file: file, directory: output, weights: weights, force: force)
            console.output("wrote \(names.map { "\(output)/\($0)" }.joined(separator: ", "))\n")
        } catch {
            console.error("\(error)\n")
            throw ExitCode(1)
        }
    }
}
