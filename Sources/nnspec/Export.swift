import ArgumentParser
import NNCatalogue
import NNRun
import NNSpec

/// `nnspec export SPEC --to pytorch --output DIR`: the spec as PyTorch code (see PyTorchExport).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a spec's network as PyTorch code (model.py, train.py for python or torchrun) or as an ONNX model.",
        discussion: """
            --to pytorch writes DIR/model.py (the network, named and printed as nnspec's), DIR/train.py (the \
            spec's data, loss, optimizer and schedule; runs under python and torchrun) and DIR/README.md; with \
            --weights, the weights (checked against the network) as DIR/weights.safetensors.

            --to onnx --weights W --output FILE.onnx writes the network in evaluation mode as an ONNX model \
            (opset 17, batch dimension N, initializers named as PyTorch's parameters).

            Files nnspec wrote before are replaced; any other existing file only with --force. \
            Exit status: 0 written, 1 invalid spec, weights or output, or a layer that cannot be exported.
            """)

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case pytorch
        case onnx
    }

    @Argument(help: "The spec file.")
    var file: String

    @Option(help: "What to write: pytorch or onnx.")
    var to: Target

    @Option(help: ArgumentHelp("The output directory (pytorch) or file (onnx).", valueName: "path"))
    var output: String

    @Option(help: ArgumentHelp("Trained weights to include (safetensors, PyTorch names, strict); needed for onnx.", valueName: "weights.safetensors"))
    var weights: String?

    @Flag(help: "Replace existing regular files nnspec did not write.")
    var force = false

    @OptionGroup var access: FileAccessOptions

    @OptionGroup var colors: ColorOptions

    func validate() throws {
        if to == .onnx, weights == nil { throw ValidationError("--to onnx needs --weights: an ONNX model holds its weights") }
    }

    func run() throws {
        let console = colors.console
        let validation = SpecValidator.standard.validate(file: file, fileAccess: access.fileAccess)
        if !validation.diagnostics.isEmpty {
            console.error(DiagnosticTextRenderer(colored: console.colorsError).render(validation.diagnostics, source: validation.source))
        }
        guard let spec = validation.spec else { throw ExitCode(1) }
        do {
            switch (to, weights) {
            case (.onnx, let weights?):
                try ONNXExport.write(spec, file: file, weights: weights, to: output, force: force)
                console.output("wrote \(output)\n")
            default:
                let names = try PyTorchExport.write(spec, file: file, directory: output, weights: weights, force: force)
                console.output("wrote \(names.map { "\(output)/\($0)" }.joined(separator: ", "))\n")
            }
        } catch {
            console.error("\(error)\n")
            throw ExitCode(1)
        }
    }
}
