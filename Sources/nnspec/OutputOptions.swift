import ArgumentParser

/// How results are printed: `--format text|json`.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Option(help: "Diagnostics as 'text' or 'json'.")
    var format: Format = .text
}
