import Foundation

/// Where a run's text goes: standard output (the story and progress), standard error (errors),
/// and whether standard output is a terminal (live progress bar, colours).
public struct Console: Sendable {
    public var output: @Sendable (String) -> Void
    public var error: @Sendable (String) -> Void
    public var isTerminal: Bool

    public init(isTerminal: Bool, output: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.output = output
        self.error = error
    }

    /// The process's standard output and error.
    public static var standard: Console {
        Console(isTerminal: isatty(STDOUT_FILENO) == 1,
                output: { FileHandle.standardOutput.write(Data($0.utf8)) },
                error: { FileHandle.standardError.write(Data($0.utf8)) })
    }
}
