import Foundation
import Testing

/// `--color` on every subcommand that prints diagnostics. The tests run `nnspec` on pipes with
/// NO_COLOR=1, so `auto` means no colour and `always` must override both.
@Suite struct ColorOptionTests {
    static let escape = "\u{1B}["

    /// The subcommands given an invalid spec, and which stream their diagnostics go to.
    static let commands: [(arguments: [String], onError: Bool)] = [
        (["validate"], false),
        (["summary"], false),
        (["train"], true),
        (["bench", "--batch-sizes", "1"], false),
    ]

    @Test(arguments: commands)
    func alwaysColoursTheDiagnosticsOfAPipe(arguments: [String], onError: Bool) throws {
        let run = try NNSpecBinary.run(arguments + ["--color", "always", "two-errors.yaml"], in: NNSpecBinary.fixtures)
        let diagnostics = onError ? run.standardError : run.standardOutput
        #expect(diagnostics.contains(Self.escape + "1;31merror:"), "\(diagnostics)")
        #expect(run.status == 1)
    }

    @Test(arguments: commands)
    func autoAndNeverLeaveAPipePlain(arguments: [String], onError: Bool) throws {
        for choice in [[], ["--color", "auto"], ["--color", "never"]] {
            let run = try NNSpecBinary.run(arguments + choice + ["two-errors.yaml"], in: NNSpecBinary.fixtures)
            let diagnostics = onError ? run.standardError : run.standardOutput
            #expect(diagnostics.contains("two-errors.yaml:7:43: error: fc expects in_features 3136"), "\(choice): \(diagnostics)")
            #expect(!(run.standardOutput + run.standardError).contains(Self.escape), "\(choice)")
            #expect(run.status == 1)
        }
    }

    @Test func anUnknownChoiceIsAUsageError() throws {
        let run = try NNSpecBinary.run(["validate", "--color", "sometimes", "two-errors.yaml"], in: NNSpecBinary.fixtures)
        #expect(run.standardError.hasPrefix("Error: The value 'sometimes' is invalid for '--color <color>'"), "\(run.standardError)")
        #expect(run.status == 64)
    }
}
