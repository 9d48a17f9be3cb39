import ArgumentParser
import NNRun

extension EvalReport.Format: ExpressibleByArgument {}

/// `nnspec eval SPEC --weights W [--split test|train]`: loss and classification metrics of trained
/// weights on the spec's data; the work is `EvalSession`'s.
struct Eval: ComputingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure trained weights on the spec's data: loss, accuracy, per-class accuracy, confusion matrix.",
        discussion: """
            The loss is measured as train measures its test loss (evaluation mode, batch losses weighted by \
            their sizes). Where the loss takes classes: top-1 accuracy, top-5 accuracy with 5 classes or \
            more, each class's accuracy and the confusion matrix (rows: true class). A loss on values gives \
            the loss only. --format json prints "format": "nnspec.eval/1".

            Exit status: 0 done, 1 invalid spec, weights or data.
            """)

    @Argument(help: "The spec file.")
    var file: String

    @Option(help: ArgumentHelp("The trained weights (safetensors, PyTorch names, strict).", valueName: "weights.safetensors"))
    var weights: String

    @Option(help: "The spec's split to measure: 'test' or 'train'.")
    var split: DataSplit = .test

    @Option(help: "The result as 'text' or 'json'.")
    var format: EvalReport.Format = .text

    @Option(help: "Samples per batch (default: the spec's data: batch_size).")
    var batchSize: Int?

    @OptionGroup var threadOptions: ThreadOptions

    @OptionGroup var colors: ColorOptions

    @OptionGroup var access: FileAccessOptions

    var processSettings: ProcessSettings { ProcessSettings(threads: threadOptions.resolved) }

    func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
    }

    func run() throws {
        var options = EvalOptions(weights: weights)
        options.split = split
        options.format = format
        options.batchSize = batchSize
        options.fileAccess = access.fileAccess
        let status = EvalSession.run(file: file, options: options, console: colors.console)
        if status != 0 { throw ExitCode(status) }
    }
}
