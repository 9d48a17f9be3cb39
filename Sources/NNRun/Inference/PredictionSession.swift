import NNData
import NNSpec
import NNTensor

/// What `nnspec predict` is asked to do.
public struct PredictionOptions: Sendable {
    /// The trained weights (safetensors, PyTorch names).
    public var weights: String
    /// A data file to predict (`PredictionInput`), or nil for `split`.
    public var input: String?
    /// One of the spec's own splits, when `input` is nil.
    public var split: DataSplit?
    /// Where the predictions go (`PredictionFile`); nil: only the summary.
    public var output: String?
    /// Samples per batch; nil: the spec's `data: batch_size` (1 without a data block).
    public var batchSize: Int?
    /// Replace an existing `output` that nnspec did not write.
    public var force = false
    public var fileAccess: SpecFileAccess = .belowWorkingOrSpecDirectory
    /// The system calls the output is written through.
    var fileOutput = FileOutput.system

    public init(weights: String, input: String? = nil, split: DataSplit? = nil) {
        self.weights = weights
        self.input = input
        self.split = split
    }
}

/// `nnspec predict SPEC`, in process: validate, build, load the weights, run the input through the
/// network in evaluation mode a batch at a time, stream the outputs to the output file and print a
/// summary. Exit status 0 when done, 1 for any error (nothing is thrown or trapped, and the output
/// file keeps what it held), 130 when interrupted between batches.
public enum PredictionSession {
    public static func run(file: String, options: PredictionOptions, console: Console, interruption: InterruptFlag? = nil) -> Int32 {
        let validation = SpecValidator.standard.validate(file: file, fileAccess: options.fileAccess, reportingTo: console)
        guard let spec = validation.spec else { return 1 }
        do {
            return try predict(spec, file: file, options: options, console: console, interruption: interruption)
        } catch let mismatch as InputShapeMismatch {
            console.error(render(mismatch, validation: validation, colored: console.colorsError))
            return 1
        } catch {
            console.error("error: \(VisibleText.escaped(String(describing: error)))\n")
            return 1
        }
    }

    /// An input that does not fit, at the spec's `input:` line.
    static func render(_ mismatch: InputShapeMismatch, validation: ValidationResult, colored: Bool) -> String {
        let diagnostic = Diagnostic(.error, VisibleText.escaped(mismatch.description), file: validation.file, mark: validation.spec?.inputMark)
        return DiagnosticTextRenderer(colored: colored).render([diagnostic], source: validation.source)
    }

    /// The samples per batch: `requested`, else the spec's batch size; throws for one below 1.
    static func batchSize(_ requested: Int?, spec: ValidatedSpec) throws(TrainingError) -> Int {
        let size = requested ?? spec.data?.batchSize ?? 1
        guard size >= 1 else { throw .invalidOption("--batch-size must be at least 1, got \(size)") }
        return size
    }

    /// The samples of `--input` or `--split`, exactly one of which must be given.
    private static func sampleStream(_ options: PredictionOptions, spec: ValidatedSpec) throws -> any SampleStream {
        switch (options.input, options.split) {
        case (let input?, nil):
            return try PredictionInput.open(input, for: spec)
        case (nil, let split?):
            return TensorSampleStream(inputs: try split.dataset(for: spec).inputs, origin: "the \(split.rawValue) split")
        default:
            throw TrainingError.invalidOption("give either --input FILE or --split train|test")
        }
    }

    private static func predict(_ spec: ValidatedSpec, file: String, options: PredictionOptions, console: Console,
                                interruption: InterruptFlag?) throws -> Int32 {
        let batch = try batchSize(options.batchSize, spec: spec)
        // The output is checked before anything is computed, so no run predicts and then cannot write.
        if let path = options.output { try PredictionFile.checkWritable(path, force: options.force) }
        let predictor = try Predictor(spec: spec, weights: options.weights)
        var samples = try sampleStream(options, spec: spec)
        let outputShape = spec.output.sampleSizes
        let classCount = predictor.classCount
        let destination = try options.output.map { (path) throws(TrainingError) in
            try PredictionFile(path: path, count: samples.count, sampleShape: outputShape, classCount: classCount,
                               provenance: .init(spec: file, weights: options.weights, input: options.input ?? samples.origin),
                               output: options.fileOutput)
        }
        var summary = PredictionSummary(specName: spec.name, origin: samples.origin, sampleShape: outputShape, classCount: classCount)
        do {
            while let inputs = try samples.next(upTo: batch) {
                if interruption?.isRaised == true {
                    destination?.discard()
                    console.output("interrupted after \(formatCount(summary.count)) of \(formatCount(samples.count)) samples"
                                   + (options.output.map { "; \($0) is unchanged" } ?? "") + "\n")
                    return TrainingSession.interruptedStatus
                }
                let outputs = try predictor.outputs(inputs)
                let predicted = classCount.map { ClassificationMetrics.predictedClasses(outputs, classCount: $0) }
                try destination?.append(outputs: outputs, predicted: predicted)
                summary.add(outputs, predicted: predicted)
            }
            try destination?.finish()
        } catch {
            destination?.discard()
            throw error
        }
        console.output(summary.text + (options.output.map { "predictions written to \($0)\n" } ?? ""))
        return 0
    }
}
