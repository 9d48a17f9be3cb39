import NNTensor

/// Top-1 and top-5 accuracy, per-class accuracy and the confusion matrix of class scores
/// [N, C] against class indices, accumulated batch by batch.
public struct ClassificationMetrics: Equatable, Sendable {
    public let classCount: Int
    /// `confusion[truth][predicted]`: samples of class `truth` whose first highest score is `predicted`.
    public private(set) var confusion: [[Int]]
    /// Samples whose class is among their five highest scores (counted only when C ≥ 5).
    public private(set) var topFiveCorrect = 0
    public private(set) var samples = 0

    public init(classCount: Int) {
        self.classCount = classCount
        confusion = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
    }

    /// Samples whose first highest score is their class.
    public var topOneCorrect: Int { (0..<classCount).reduce(0) { $0 + confusion[$1][$1] } }
    public var topOneAccuracy: Double { Double(topOneCorrect) / Double(max(samples, 1)) }
    /// Top-5 accuracy; nil with fewer than five classes.
    public var topFiveAccuracy: Double? { classCount >= 5 ? Double(topFiveCorrect) / Double(max(samples, 1)) : nil }

    /// Per class: its samples and the share of them predicted right (nil for a class with no samples).
    public var perClass: [(samples: Int, accuracy: Double?)] {
        (0..<classCount).map { truth in
            let count = confusion[truth].reduce(0, +)
            return (count, count == 0 ? nil : Double(confusion[truth][truth]) / Double(count))
        }
    }

    /// Adds a batch: `scores` [N, C], `classes` N indices in 0..<C.
    public mutating func add(scores: Tensor, classes: [Int]) {
        precondition(scores.shape == [classes.count, classCount], "scores \(scores.shape) for \(classes.count) samples of \(classCount) classes")
        for (row, truth) in classes.enumerated() {
            let rowScores = scores.scalars[row * classCount ..< (row + 1) * classCount]
            let predicted = Self.firstMaximum(rowScores) - rowScores.startIndex
            confusion[truth][predicted] += 1
            // Ranked as torch.topk ranks: the class is in the top five when fewer than five
            // scores rank above its own (higher, or equal at an earlier index; NaN highest).
            if classCount >= 5 {
                let ownIndex = rowScores.startIndex + truth
                let higher = rowScores.indices.count { Self.ranksAbove(rowScores[$0], $0, rowScores[ownIndex], ownIndex) }
                if higher < 5 { topFiveCorrect += 1 }
            }
        }
        samples += classes.count
    }

    /// Each row's class: the index of its first highest score (NaN highest), as `torch.argmax(scores, 1)`;
    /// `scores` [N, classCount].
    public static func predictedClasses(_ scores: Tensor, classCount: Int) -> [Int] {
        (0..<(scores.shape.first ?? 0)).map { row in
            firstMaximum(scores.scalars[row * classCount ..< (row + 1) * classCount]) - row * classCount
        }
    }

    /// The index of the first highest value, NaN counted highest, as `torch.argmax`.
    static func firstMaximum(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for index in values.indices where ranksAbove(values[index], index, values[best], best) { best = index }
        return best
    }

    /// True when value `a` at `indexA` ranks before `b` at `indexB`: larger (NaN largest), or
    /// equal and earlier.
    private static func ranksAbove(_ a: Float, _ indexA: Int, _ b: Float, _ indexB: Int) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && (!b.isNaN || indexA < indexB) }
        return a > b || (a == b && indexA < indexB)
    }
}
