import ArgumentParser
import NNCatalogue
import NNRun
import NNSpec

extension NetworkDiagramFile.Format: ExpressibleByArgument {}

/// `nnspec graph FILE`: the network's diagram, SVG or Graphviz DOT, to standard output or `--output`.
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the network: an SVG diagram, or Graphviz DOT text.",
        discussion: """
            One box per layer (name, type, output shape, parameters) in forward order, from: inputs \
            as side lanes, containers and blocks as groups, functional steps as lighter boxes. A file \
            that nnspec did not write is replaced only with --force.

            Exit status: 0 drawn, 1 an invalid spec (its diagnostics are printed) or an output that \
            cannot be written, 64 a usage error.
            """)

    @Argument(help: "The spec file ('-': standard input).", completion: .spec)
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the diagram here instead of standard output.", valueName: "file.svg|file.dot"),
            completion: .file(extensions: ["svg", "dot", "gv"]))
    var output: String?

    @Option(help: "'svg' or 'dot' (default: dot for an --output ending in .dot or .gv, else svg).")
    var format: NetworkDiagramFile.Format?

    @Option(help: "Show the module tree down to this many levels, a container on the last one as one box with its totals (as summary --depth).")
    var depth: Int?

    @Flag(help: "Replace an --output file that nnspec did not write (never a link, FIFO or device).")
    var force = false

    @OptionGroup var access: FileAccessOptions

    @OptionGroup var colors: ColorOptions

    func validate() throws {
        if let depth, depth < 1 { throw ValidationError("--depth must be at least 1, not \(depth)") }
        if let format, let output, let named = NetworkDiagramFile.Format(fileName: output), named != format {
            throw ValidationError("--format \(format.rawValue) contradicts --output \(output), whose name asks for \(named.rawValue)")
        }
    }

    func run() throws {
        let console = colors.console
        if let output {
            do {
                try GeneratedFile.checkWritable(output, marker: NetworkDiagramFile.marker, force: force)
            } catch {
                console.error("error: --output \(error)\(error.isForeignFile ? " (--force replaces it)" : "")\n")
                throw ExitCode(1)
            }
        }
        let result = SpecValidator.standard.validate(file: file, fileAccess: access.fileAccess)
        console.error(DiagnosticTextRenderer(colored: console.colorsError).render(result.diagnostics, source: result.source))
        guard let spec = result.spec else { throw ExitCode(1) }
        let format = format ?? output.flatMap(NetworkDiagramFile.Format.init(fileName:)) ?? .svg
        let text = NetworkDiagramFile.text(spec, format: format, depth: depth)
        guard let output else {
            console.output(text)
            return
        }
        do {
            try GeneratedFile.write(text, to: output, marker: NetworkDiagramFile.marker, force: force)
        } catch {
            console.error("error: --output \(error)\n")
            throw ExitCode(1)
        }
        console.output("diagram written to \(output)\n")
    }
}
