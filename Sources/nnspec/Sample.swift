import ArgumentParser
import NNRun

/// `nnspec sample SPEC --weights W [--count N] [--temperature T] [--seed S] [--max-length L]
/// [--prompt TEXT]`: new text from a trained next-character model; the work is `SampleSession`'s.
struct Sample: ComputingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate text with a trained next-character model (a spec with a text train split).",
        discussion: """
            Each sample starts at a newline (unit: characters) or <s> (unit: lines), then --prompt, and \
            adds characters drawn from softmax(scores / temperature) at the last position, in evaluation \
            mode, until the end of a line or --max-length characters. --temperature 0 takes the highest \
            score. The vocabulary is the one train --save wrote into the weights. One sample a line; \
            --format json prints "format": "nnspec.sample/1".

            Exit status: 0 done, 1 invalid spec or weights, or a spec that is not a causal next-character \
            model; 64 usage errors.
            """)

    @Argument(help: "The spec file.")
    var file: String

    @Option(help: ArgumentHelp("The trained weights, saved by train --save with their vocabulary.", valueName: "weights.safetensors"))
    var weights: String

    @Option(help: "The number of samples.")
    var count = 10

    @Option(help: "Divides the scores before the softmax (0: always the highest score).")
    var temperature = 1.0

    @Option(help: "Seeds the draws: the same seed gives the same samples.")
    var seed = 0

    @Option(help: "The most characters generated after the prompt.")
    var maxLength = 32

    @Option(help: "The first characters of every sample.")
    var prompt = ""

    @Option(help: "The result as 'text' or 'json'.")
    var format: EvalReport.Format = .text

    @OptionGroup var colors: ColorOptions

    @OptionGroup var access: FileAccessOptions

    /// One thread: a sample runs one [1, T] window at a time, too little work to share.
    var processSettings: ProcessSettings { ProcessSettings(threads: 1) }

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if !(temperature >= 0 && temperature.isFinite) { throw ValidationError("--temperature must be 0 or more, got \(temperature)") }
        if seed < 0 { throw ValidationError("--seed must be 0 or more, got \(seed)") }
        if maxLength < 1 { throw ValidationError("--max-length must be at least 1, got \(maxLength)") }
    }

    func run() throws {
        var options = SampleOptions(weights: weights)
        options.count = count
        options.temperature = temperature
        options.seed = UInt64(seed)
        options.maxLength = maxLength
        options.prompt = prompt
        let status = SampleSession.run(file: file, options: options, json: format == .json, fileAccess: access.fileAccess,
                                       console: colors.console)
        if status != 0 { throw ExitCode(status) }
    }
}
