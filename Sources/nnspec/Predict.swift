import ArgumentParser
import NNRun

extension DataSplit: ExpressibleByArgument {}

/// `nnspec predict SPEC --weights W --input FILE|--split S [--output FILE]`: trained weights run on
/// new data; the work is `PredictionSession`'s.
struct Predict: ComputingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run trained weights on a data file or split, in evaluation mode; write the outputs.",
        discussion: """
            The input is a .npy array of float32 [count, …the input's sample shape], fed as is, or an IDX \
            or CSV data file (by its name: .csv, .csv.gz, else IDX), read as the spec's data section reads \
            its files and transformed as its transforms say, or --split train|test, the spec's own data. \
            .npy and IDX files are read a batch at a time.

            --output writes by its extension: .npy (the raw outputs), .csv (a row per sample: the predicted \
            class where the loss has classes, then the outputs) or .json ("format": "nnspec.predictions/1"). \
            The file appears only complete; an existing file not written by nnspec predict is replaced only \
            with --force. Without --output only the summary is printed.

            Exit status: 0 done, 1 invalid spec, weights, input or output, 130 interrupted (the output \
            file is left as it was).
            """)

    @Argument(help: "The spec file.")
    var file: String

    @Option(help: ArgumentHelp("The trained weights (safetensors, PyTorch names, strict).", valueName: "weights.safetensors"))
    var weights: String

    @Option(help: ArgumentHelp("The samples to predict: .npy, IDX or CSV.", valueName: "file"))
    var input: String?

    @Option(help: "Predict one of the spec's own splits instead of --input: 'train' or 'test'.")
    var split: DataSplit?

    @Option(help: ArgumentHelp("Write the predictions here: .npy, .csv or .json.", valueName: "file"))
    var output: String?

    @Option(help: "Samples per batch (default: the spec's data: batch_size).")
    var batchSize: Int?

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Let --output replace a regular file nnspec did not write (never links, FIFOs or devices).")
    var force = false

    @OptionGroup var colors: ColorOptions

    @OptionGroup var access: FileAccessOptions

    var processSettings: ProcessSettings { ProcessSettings(threads: threadOptions.resolved) }

    func validate() throws {
        guard (input == nil) != (split == nil) else { throw ValidationError("give either --input FILE or --split train|test") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
    }

    func run() throws {
        var options = PredictionOptions(weights: weights, input: input, split: split)
        options.output = output
        options.batchSize = batchSize
        options.force = force
        options.fileAccess = access.fileAccess
        let console = colors.console
        let interruption = InterruptFlag()
        interruption.handleInterruptSignal {
            console.error("\ninterrupted: stopping after this batch (Ctrl-C again quits at once)\n")
        }
        let status = PredictionSession.run(file: file, options: options, console: console, interruption: interruption)
        if status != 0 { throw ExitCode(status) }
    }
}
