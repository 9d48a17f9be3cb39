import ArgumentParser
import NNSpec

/// `--allow-outside`: whether a spec may name files outside the working directory and its own
/// directory (data, `init:`, `golden:`); docs/spec-format.md "Safety" states the rule.
struct FileAccessOptions: ParsableArguments {
    @Flag(help: "Let specs read and write files outside the working directory and their own directory.")
    var allowOutside = false

    var fileAccess: SpecFileAccess { allowOutside ? .anywhere : .belowWorkingOrSpecDirectory }
}
