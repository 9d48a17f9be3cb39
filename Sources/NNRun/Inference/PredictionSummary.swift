import NNData
import NNSpec
import NNTensor

/// What `nnspec predict` prints: the sample count, the outputs' shape and, where the loss has
/// classes, how many samples each class was predicted for.
///
///     DigitsMLP: 360 samples of the test split, outputs [360, 10]
///     predicted classes (class: samples):
///       0: 36 (10.00%)
///       …
struct PredictionSummary {
    let specName: String
    let origin: String
    let sampleShape: [Int]
    private(set) var count = 0
    /// Samples per predicted class; nil for a loss on values.
    private(set) var histogram: [Int]?

    /// The classes listed at most; the rest are counted in one line.
    static let listedClasses = 20

    init(specName: String, origin: String, sampleShape: [Int], classCount: Int?) {
        self.specName = specName
        self.origin = origin
        self.sampleShape = sampleShape
        histogram = classCount.map { Array(repeating: 0, count: $0) }
    }

    mutating func add(_ outputs: Tensor, predicted: [Int]?) {
        count += outputs.shape.first ?? 0
        for index in predicted ?? [] { histogram?[index] += 1 }
    }

    var text: String {
        var text = "\(VisibleText.escaped(specName)): \(formatCount(count)) \(count == 1 ? "sample" : "samples") of \(VisibleText.escaped(origin)),"
            + " outputs \([count] + sampleShape)\n"
        guard let histogram, count > 0 else { return text }
        // The most predicted classes first when they do not all fit; otherwise in class order.
        let predicted = histogram.indices.filter { histogram[$0] > 0 }
        let listed = predicted.count <= Self.listedClasses ? predicted
            : Array(predicted.sorted { histogram[$0] > histogram[$1] }.prefix(Self.listedClasses))
        text += "predicted classes (class: samples):\n"
        for index in listed {
            text += "  \(index): \(formatCount(histogram[index])) (\(formatFixed(100 * Double(histogram[index]) / Double(count), decimals: 2))%)\n"
        }
        if listed.count < predicted.count { text += "  … and \(predicted.count - listed.count) more classes\n" }
        return text
    }
}
