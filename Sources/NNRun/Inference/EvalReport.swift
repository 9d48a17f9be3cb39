import NN
import NNData
import NNSpec

/// The result of `nnspec eval`, as text or as JSON (`"format": "nnspec.eval/1"`).
public struct EvalReport {
    public enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    static let jsonFormat = "nnspec.eval/1"

    /// The spec file as given, and its network's name.
    public let spec: String
    public let specName: String
    public let weights: String
    public let split: DataSplit
    public let lossType: String
    public let reduction: Reduction
    /// The loss per sample (`Evaluation.loss`) and the sample count.
    public let evaluation: Evaluation
    /// Nil for a loss on values (MSELoss, L1Loss, …): the loss is all there is.
    public let metrics: ClassificationMetrics?

    /// What the loss number is, after the loss's name.
    private var lossMeaning: String {
        reduction == .sum ? "reduction sum: the summed loss divided by the samples" : "reduction mean, over all samples"
    }

    /// ```text
    /// DigitsMLP on the test split (360 samples), weights w.safetensors
    /// loss 0.2834 (CrossEntropyLoss, reduction mean, over all samples)
    /// top-1 accuracy 91.67% (330/360)
    /// top-5 accuracy 99.72% (359/360)
    /// class  samples  accuracy
    ///     0       36   100.00%
    /// …
    /// confusion matrix (rows: true class, columns: predicted class)
    ///        0    1 …
    ///   0   36    0 …
    /// ```
    public var text: String {
        var text = "\(VisibleText.escaped(specName)) on the \(split.rawValue) split (\(formatCount(evaluation.samples)) samples),"
            + " weights \(VisibleText.escaped(weights))\n"
        text += "loss \(formatFixed(evaluation.loss, decimals: 4)) (\(lossType), \(lossMeaning))\n"
        guard let metrics else {
            return text + "no accuracy: \(lossType) compares values, not classes, so the loss is the whole result\n"
        }
        text += "top-1 accuracy \(percent(metrics.topOneAccuracy)) (\(metrics.topOneCorrect)/\(metrics.samples))\n"
        if let topFive = metrics.topFiveAccuracy {
            text += "top-5 accuracy \(percent(topFive)) (\(metrics.topFiveCorrect)/\(metrics.samples))\n"
        }
        let classWidth = max(5, String(metrics.classCount - 1).count)
        text += "\(pad("class", classWidth))  samples  accuracy\n"
        for (index, entry) in metrics.perClass.enumerated() {
            text += "\(pad(String(index), classWidth))  \(pad(formatCount(entry.samples), 7))  \(pad(entry.accuracy.map(percent) ?? "-", 8))\n"
        }
        let cellWidth = max(String(metrics.classCount - 1).count, String(metrics.confusion.joined().max() ?? 0).count)
        text += "confusion matrix (rows: true class, columns: predicted class)\n"
        text += pad("", classWidth) + (0..<metrics.classCount).map { " " + pad(String($0), cellWidth) }.joined() + "\n"
        for (truth, row) in metrics.confusion.enumerated() {
            text += pad(String(truth), classWidth) + row.map { " " + pad(String($0), cellWidth) }.joined() + "\n"
        }
        return text
    }

    /// `{"format": "nnspec.eval/1", "spec", "name", "weights", "split", "samples",
    /// "loss": {"type", "reduction", "value"}, "classification": null | {"classes", "top1_accuracy",
    /// "top1_correct", "top5_accuracy" (null below 5 classes), "top5_correct", "per_class":
    /// [{"class", "samples", "accuracy"}], "confusion_matrix": [[…]] (rows: true class)}}`.
    public var json: String {
        let classification: JSONValue = metrics.map { metrics in
            .object([
                ("classes", .integer(metrics.classCount)),
                ("top1_accuracy", .number(metrics.topOneAccuracy)), ("top1_correct", .integer(metrics.topOneCorrect)),
                ("top5_accuracy", metrics.topFiveAccuracy.map(JSONValue.number) ?? .null),
                ("top5_correct", metrics.topFiveAccuracy == nil ? .null : .integer(metrics.topFiveCorrect)),
                ("per_class", .array(metrics.perClass.enumerated().map { index, entry in
                    .object([("class", .integer(index)), ("samples", .integer(entry.samples)),
                             ("accuracy", entry.accuracy.map(JSONValue.number) ?? .null)])
                })),
                ("confusion_matrix", .array(metrics.confusion.map { .array($0.map(JSONValue.integer)) })),
            ])
        } ?? .null
        let document = JSONValue.object([
            ("format", .string(Self.jsonFormat)), ("spec", .string(spec)), ("name", .string(specName)),
            ("weights", .string(weights)), ("split", .string(split.rawValue)), ("samples", .integer(evaluation.samples)),
            ("loss", .object([("type", .string(lossType)), ("reduction", .string(reduction.rawValue)),
                              ("value", evaluation.loss.isFinite ? .number(evaluation.loss) : .null)])),
            ("classification", classification),
        ])
        return document.rendered() + "\n"
    }

    private func percent(_ share: Double) -> String { formatFixed(100 * share, decimals: 2) + "%" }

    /// `text` right-aligned in `width` characters.
    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
