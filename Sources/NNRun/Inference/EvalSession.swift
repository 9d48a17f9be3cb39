import NN
import NNCatalogue
import NNData
import NNSpec

/// What `nnspec eval` is asked to do.
public struct EvalOptions: Sendable {
    /// The trained weights (safetensors, PyTorch names).
    public var weights: String
    public var split: DataSplit = .test
    /// Samples per batch; nil: the spec's `data: batch_size`.
    public var batchSize: Int?
    public var format: EvalReport.Format = .text
    public var fileAccess: SpecFileAccess = .belowWorkingOrSpecDirectory

    public init(weights: String) {
        self.weights = weights
    }
}

/// `nnspec eval SPEC`, in process: the loss over one of the spec's splits with trained weights in
/// evaluation mode, measured as `train` measures its test loss (`Evaluation`), and where the loss
/// has classes top-1 and top-5 accuracy, per-class accuracy and the confusion matrix. Exit status
/// 0 when done, 1 for any error.
public enum EvalSession {
    public static func run(file: String, options: EvalOptions, console: Console) -> Int32 {
        let validation = SpecValidator.standard.validate(file: file, fileAccess: options.fileAccess, reportingTo: console)
        guard let spec = validation.spec else { return 1 }
        do {
            let report = try evaluate(spec, file: file, options: options)
            console.output(options.format == .json ? report.json : report.text)
            return 0
        } catch {
            console.error("error: \(VisibleText.escaped(String(describing: error)))\n")
            return 1
        }
    }

    static func evaluate(_ spec: ValidatedSpec, file: String, options: EvalOptions) throws -> EvalReport {
        guard let lossComponent = spec.loss else {
            throw TrainingError.invalidOption("\(spec.name) has no loss:, so there is nothing to evaluate")
        }
        let reduction = try Trainer.reduction(of: lossComponent, needed: "evaluation")
        let batchSize = try PredictionSession.batchSize(options.batchSize, spec: spec)
        let predictor = try Predictor(spec: spec, weights: options.weights)
        let loss: any Loss
        do throws(BuildError) {
            loss = try StandardCatalogue.loss(for: lossComponent)
        } catch {
            throw TrainingError.build(error)
        }
        let loader = try DataLoader(dataset: try options.split.dataset(for: spec), batchSize: batchSize)
        var metrics = predictor.classCount.map { ClassificationMetrics(classCount: $0) }
        let evaluation = try Evaluation.measure(network: predictor.network, loss: loss, reduction: reduction, loader: loader) { output, targets in
            if case .classes(let indices, _) = targets { metrics?.add(scores: output, classes: indices) }
        }
        return EvalReport(spec: file, specName: spec.name, weights: options.weights, split: options.split, lossType: lossComponent.typeName,
                          reduction: reduction, evaluation: evaluation, metrics: metrics)
    }
}
