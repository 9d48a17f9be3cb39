import Foundation

/// What a run's curves are drawn from: its step and epoch rows, as the `--log` CSV holds them
/// (`TrainingLog`), recorded while training (`RunRecorder`) or read back from a log.
public struct RunHistory: Equatable, Sendable {
    public struct Step: Equatable, Sendable {
        /// 1-based, over the whole run.
        public var step: Int
        /// 1-based.
        public var epoch: Int
        /// NaN or infinite only in a hand-edited log: the trainer stops before logging such a step.
        public var loss: Double
        public var learningRate: Double
    }

    public struct Epoch: Equatable, Sendable {
        /// The step that ended the epoch.
        public var step: Int
        /// 1-based.
        public var epoch: Int
        public var trainLoss: Double?
        public var testLoss: Double?
        /// In 0…1.
        public var testAccuracy: Double?
        /// Seconds since 1970 at the epoch's end (nil in a log of the first format).
        public var wallTime: Double?
    }

    public var steps: [Step] = []
    public var epochs: [Epoch] = []

    public init(steps: [Step] = [], epochs: [Epoch] = []) {
        self.steps = steps
        self.epochs = epochs
    }

    /// Reads a `--log` CSV (either format); `file` names it in errors, which give the line and column.
    public static func parse(csv text: String, file: String) throws(ReportError) -> RunHistory {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first.map({ $0 + "\n" }),
              header == TrainingLog.header || header == TrainingLog.firstFormatHeader else {
            throw ReportError("\(file):1:1: not an nnspec training log: the first line is not `\(TrainingLog.header.dropLast())`")
        }
        var history = RunHistory()
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            func number(_ column: Int, required: Bool = false) throws(ReportError) -> Double? {
                let text = column < fields.count ? fields[column] : ""
                let at = "\(file):\(index + 1):\(fields.prefix(column).reduce(1) { $0 + $1.count + 1 })"
                if text.isEmpty {
                    if required { throw ReportError("\(at): column \(column + 1) is empty") }
                    return nil
                }
                guard let value = Double(text) else { throw ReportError("\(at): '\(text)' is not a number") }
                return value
            }
            guard fields.count >= 6 else {
                throw ReportError("\(file):\(index + 1):1: a row has \(fields.count) columns, the log's rows at least 6")
            }
            guard let step = try number(0, required: true).flatMap({ Int(exactly: $0) }),
                  let epoch = try number(1, required: true).flatMap({ Int(exactly: $0) }), step >= 0, epoch >= 1 else {
                throw ReportError("\(file):\(index + 1):1: the step and epoch must be whole numbers, the epoch at least 1")
            }
            if let loss = try number(2) {
                history.steps.append(Step(step: step, epoch: epoch, loss: loss, learningRate: try number(3) ?? .nan))
            } else {
                history.epochs.append(Epoch(step: step, epoch: epoch, trainLoss: try number(6), testLoss: try number(4),
                                            testAccuracy: try number(5), wallTime: try number(7)))
            }
        }
        return history
    }
}

/// A log, sidecar or spec that a report cannot be drawn from, or a report directory that cannot be
/// written: the message names the file (and line and column where there is one).
public struct ReportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Keeps a run's `--log` text in memory while it trains (the rows `TrainingLog` writes), for `--report`.
final class RunRecorder: TrainingObserver {
    private(set) var csv = TrainingLog.header
    private let clock: @Sendable () -> Double

    /// `clock` gives the wall time in seconds since 1970.
    init(clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) { self.clock = clock }

    func stepFinished(_ record: StepRecord) { csv += TrainingLog.row(record) }

    func epochFinished(_ record: EpochRecord) { csv += TrainingLog.row(record, wallTime: clock()) }
}
