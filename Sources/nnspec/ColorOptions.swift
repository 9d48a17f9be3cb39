import ArgumentParser
import NNRun

extension ColorChoice: ExpressibleByArgument {}

/// `--color auto|always|never`, on every subcommand that may print colour, and the console it decides.
struct ColorOptions: ParsableArguments {
    @Option(help: "When to colour: 'auto' on a terminal unless NO_COLOR is non-empty or TERM=dumb, 'always' or 'never'.")
    var color: ColorChoice = .auto

    /// Standard output and error, each coloured as `--color` decides for it.
    var console: Console { Console.standard(color: color) }
}
