import ArgumentParser

/// How results are printed: `--format text|json`.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Option(help: "Results as 'text' or 'json' (docs/json-output.md describes each command's JSON document).")
    var format: Format = .text
}
