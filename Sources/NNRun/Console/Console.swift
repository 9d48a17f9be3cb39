import Foundation

/// Where the command line's text goes: standard output (results, the story and progress) and
/// standard error (errors), each with whether its text may be coloured. Every subcommand writes
/// through one, so that nothing else decides colour or writes to the streams.
public struct Console: Sendable {
    public var output: @Sendable (String) -> Void
    public var error: @Sendable (String) -> Void
    /// Whether standard output is a terminal: progress redraws one line in place.
    public var isTerminal: Bool
    /// Whether text written to `output` may carry ANSI colours.
    public var colorsOutput: Bool
    /// Whether text written to `error` may carry ANSI colours.
    public var colorsError: Bool

    public init(isTerminal: Bool, colorsOutput: Bool = false, colorsError: Bool = false,
                output: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.colorsOutput = colorsOutput
        self.colorsError = colorsError
        self.output = output
        self.error = error
    }

    /// The process's standard output and error, each coloured as `color` decides for it.
    public static func standard(color: ColorChoice = .auto,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> Console {
        let output = StandardStream.output, error = StandardStream.error
        return Console(isTerminal: output.isTerminal,
                       colorsOutput: color.colors(terminal: output.isTerminal, environment: environment),
                       colorsError: color.colors(terminal: error.isTerminal, environment: environment),
                       output: output.write, error: error.write)
    }
}
