import ArgumentParser
import Foundation
import NNSpec

/// How diagnostics are printed: `--format text|json`; text is coloured on a terminal.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Option(help: "Diagnostics as 'text' or 'json'.")
    var format: Format = .text

    /// The text renderer, coloured when standard output is a terminal and NO_COLOR is unset.
    var textRenderer: DiagnosticTextRenderer {
        let terminal = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        return DiagnosticTextRenderer(colored: terminal)
    }
}

/// Writes text to standard output without a trailing newline.
func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
