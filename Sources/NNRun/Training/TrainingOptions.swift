import NNSpec

/// What `nnspec train` is asked to do beyond the spec: overrides of the spec's settings and the
/// files to read and write. Nil overrides keep the spec's values.
public struct TrainingOptions: Sendable {
    /// Passes over the training data (`--epochs`); replaces the spec's `epochs` and `steps`.
    public var epochs: Int?
    /// Optimizer steps in all (`--steps`); epochs continue as long as needed.
    public var steps: Int?
    public var batchSize: Int?
    /// The optimizer's learning rate (`--lr`), before any scheduler changes it.
    public var learningRate: Double?
    /// Seeds the initial weights, shuffling and dropout (`--seed`).
    public var seed: Int?
    /// Threads the kernels may use (`--threads`); recorded in checkpoints (the kernels run on one thread).
    public var threads: Int = 1
    /// The `--threads` accepted: each thread costs a stack and a share of scratch memory, and more
    /// threads than cores only wait on each other, so a count past 256 is a typing mistake.
    public static let threadCountRange = 1...256

    /// Why `threads` cannot be used (the `--threads` usage error), or nil when it is in `threadCountRange`.
    public static func threadCountProblem(_ threads: Int) -> String? {
        threadCountRange.contains(threads)
            ? nil : "--threads must be \(threadCountRange.lowerBound) to \(threadCountRange.upperBound), not \(threads)"
    }

    /// Why these options cannot be used, alone or together (a usage error's message), or nil.
    public var usageProblem: String? {
        let positive: [(String, Int?)] = [("--epochs", epochs), ("--steps", steps), ("--batch-size", batchSize),
                                          ("--checkpoint-every", checkpointEvery)]
        for case let (name, value?) in positive where value < 1 {
            return "\(name) must be at least 1, got \(value)"
        }
        if let problem = Self.threadCountProblem(threads) { return problem }
        if let lr = learningRate, !(lr.isFinite && lr > 0) {
            return "--lr must be a positive number, got \(lr)"
        }
        if !initialWeightsPrefix.isEmpty, initialWeights == nil {
            return "--strip-prefix applies to the names of --init's file; give --init too"
        }
        if checkpointEvery != nil, checkpointDirectory == nil, resumeDirectory == nil {
            return "--checkpoint-every needs --checkpoint-dir (or --resume) to say where checkpoints go"
        }
        return nil
    }

    /// Weights to start from, with PyTorch's names (`--init`).
    public var initialWeights: String?
    /// Removed from the start of `initialWeights`' names before matching (`--strip-prefix module.`).
    public var initialWeightsPrefix = ""
    /// Where the final weights go (`--save`).
    public var saveWeights: String?
    /// Replace `saveWeights`, `logFile`, the report's files or the checkpoint file even when nnspec did not write them (`--force`).
    public var force = false
    public var checkpointDirectory: String?
    /// Steps between checkpoints (`--checkpoint-every`); nil: only at the end.
    public var checkpointEvery: Int?
    /// A checkpoint directory to continue from (`--resume`).
    public var resumeDirectory: String?
    /// A CSV file of per-step losses and per-epoch test metrics (`--log`).
    public var logFile: String?
    /// A directory for the run's HTML report, its log and its facts (`--report`).
    public var reportDirectory: String?
    /// A directory for a TensorBoard event file (`--tensorboard`).
    public var tensorBoardDirectory: String?
    /// `--format`: `.json` prints no progress and one JSON object at the end instead of the text report.
    public var format = TrainingOutputFormat.text
    /// A parameter whose gradient is printed before and after the first backward (`--show-grad`).
    public var showGradient: String?
    /// Print only errors and the final report (`--quiet`).
    public var quiet = false
    /// Which files the spec may name (`--allow-outside` gives `.anywhere`).
    public var fileAccess = SpecFileAccess.anywhere
    /// The system calls the run's files are written through (tests inject failing ones).
    var fileOutput = FileOutput.system

    public init() {}
}

/// How `nnspec train` reports: text for people, or one JSON object (`TrainingReportJSON`).
public enum TrainingOutputFormat: String, CaseIterable, Sendable {
    case text, json
}
