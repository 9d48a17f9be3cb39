import ArgumentParser
import NNSpec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
        DiagnosticTextRenderer(colored: isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil)
    }
}

/// Writes text to standard output as it is (no newline added). The CLI avoids Foundation so
/// that `nnspec validate` starts fast.
func write(_ text: String) {
    print(text, terminator: "")
}
