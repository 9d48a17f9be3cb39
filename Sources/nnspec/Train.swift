import ArgumentParser
import NNRun

/// `nnspec train FILE`: validate, build, print the network, train with progress, report, save.
struct Train: ComputingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a spec's network on its data, with progress, checkpoints and a final report.",
        discussion: """
            Prints the network as PyTorch prints it, its parameter tensors and output shape, then trains \
            (a live progress bar on a terminal, a plain line every few steps otherwise) and reports the \
            final loss, test accuracy where the data has classes, and images per second.

            Exit status: 0 trained, 1 invalid spec, data or weights, or a loss that became NaN \
            or infinite (the step and first non-finite layer are named), 64 a usage error (an unknown \
            option, or a value out of its range such as --epochs 0), 130 interrupted (Ctrl-C \
            finishes the current step and writes a checkpoint when --checkpoint-dir or --resume is given).

            --save, --log, --report and --checkpoint-dir replace only files nnspec wrote (weights it saved, \
            its logs, reports and checkpoints); any other existing file is left alone unless --force is given.

            --report DIR writes DIR/index.html (curves, settings, timings, the network, a classifier's \
            confusion matrix; no scripts, nothing fetched), DIR/log.csv and DIR/run.json, from which \
            `nnspec report` redraws it. --tensorboard DIR writes a TensorBoard event file into DIR.
            """)

    @Argument(help: "The spec file ('-': standard input).", completion: .spec)
    var file: String

    @Option(help: "Passes over the training data (overrides the spec's train: epochs and steps).")
    var epochs: Int?

    @Option(help: "Optimizer steps in all (overrides train: steps; epochs continue as needed).")
    var steps: Int?

    @Option(help: "Samples per batch (overrides data: batch_size).")
    var batchSize: Int?

    @Option(help: "Learning rate (overrides the optimizer's lr).")
    var lr: Double?

    @Option(help: "Seed for initial weights, shuffling and dropout (overrides train: seed).")
    var seed: Int?

    @OptionGroup var threadOptions: ThreadOptions

    @Option(name: .customLong("init"), help: ArgumentHelp("Start from these weights (safetensors, PyTorch names, strict).", valueName: "weights.safetensors"), completion: .weights)
    var initialWeights: String?

    @Option(help: ArgumentHelp("Remove this prefix from --init's names before matching (e.g. 'module.' of DataParallel).", valueName: "prefix"))
    var stripPrefix = ""

    @Option(help: ArgumentHelp("Write the final weights here (safetensors, PyTorch names).", valueName: "weights.safetensors"), completion: .weights)
    var save: String?

    @Flag(help: "Let --save, --log, --report and --checkpoint-dir replace regular files nnspec did not write (never links, FIFOs or devices).")
    var force = false

    @Option(help: ArgumentHelp("Write checkpoints into this directory (at the end, on Ctrl-C, and every --checkpoint-every steps).", valueName: "dir"), completion: .directory)
    var checkpointDir: String?

    @Option(help: ArgumentHelp("Steps between checkpoints.", valueName: "steps"))
    var checkpointEvery: Int?

    @Option(help: ArgumentHelp("Continue exactly from the checkpoint in this directory (and keep checkpointing there).", valueName: "dir"), completion: .directory)
    var resume: String?

    @Option(help: ArgumentHelp("Write step,epoch,loss,lr per step and test metrics, train loss and wall time per epoch as CSV.", valueName: "file.csv"), completion: .file(extensions: ["csv"]))
    var log: String?

    @Option(help: ArgumentHelp("Write an HTML report of the run (index.html), its log and its facts into this directory.", valueName: "dir"))
    var report: String?

    @Option(help: ArgumentHelp("Write a TensorBoard event file (loss and lr per step, epoch metrics) into this directory.", valueName: "dir"))
    var tensorboard: String?

    @Option(help: "'text', or 'json': no progress, one JSON object (nnspec.train/1) on standard output at the end.")
    var format: TrainingOutputFormat = .text

    @Option(help: ArgumentHelp("Print this parameter's gradient before and after the first backward pass.", valueName: "name"))
    var showGrad: String?

    @Flag(name: .shortAndLong, help: "Print only errors and the final report.")
    var quiet = false

    @OptionGroup var colors: ColorOptions

    @OptionGroup var access: FileAccessOptions

    var processSettings: ProcessSettings { ProcessSettings(threads: threadOptions.resolved) }

    /// Option values no run can use are usage errors (exit 64), found before anything is read.
    func validate() throws {
        if let problem = options.usageProblem { throw ValidationError(problem) }
    }

    func run() throws {
        let options = options
        let console = colors.console
        let interruption = InterruptFlag()
        let writesCheckpoint = (options.checkpointDirectory ?? options.resumeDirectory) != nil
        interruption.handleInterruptSignal {
            console.error("\ninterrupted: finishing this step\(writesCheckpoint ? " and writing a checkpoint" : "") (Ctrl-C again quits at once)\n")
        }
        let status = TrainingSession.run(file: file, options: options, console: console, interruption: interruption)
        if status != 0 { throw ExitCode(status) }
    }

    /// The command line as the trainer's options.
    private var options: TrainingOptions {
        var options = TrainingOptions()
        options.epochs = epochs
        options.steps = steps
        options.batchSize = batchSize
        options.learningRate = lr
        options.seed = seed
        options.threads = threadOptions.resolved
        options.initialWeights = initialWeights
        options.initialWeightsPrefix = stripPrefix
        options.saveWeights = save
        options.force = force
        options.checkpointDirectory = checkpointDir
        options.checkpointEvery = checkpointEvery
        options.resumeDirectory = resume
        options.logFile = log
        options.reportDirectory = report
        options.tensorBoardDirectory = tensorboard
        options.format = format
        options.showGradient = showGrad
        options.quiet = quiet
        options.fileAccess = access.fileAccess
        return options
    }
}

extension TrainingOutputFormat: ExpressibleByArgument {}
