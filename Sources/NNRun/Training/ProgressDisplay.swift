import Foundation
import NNSpec
import NNTensor

/// Shows a run's progress: on a terminal a single line redrawn in place (epoch, bar, step/total,
/// loss, images/s, ETA); otherwise a plain line every `lineEvery` steps. Each epoch ends with a
/// line of its train loss and test metrics; a watched gradient prints as the tutorial prints it.
final class ProgressDisplay: TrainingObserver {
    private let console: Console
    private let lineEvery: Int
    private let clock = ContinuousClock()
    private var start: ContinuousClock.Instant?
    private var stepsTimed = 0, samplesTimed = 0
    private var lastDraw: ContinuousClock.Instant?
    private var barShown = false

    init(console: Console, totalSteps: Int) {
        self.console = console
        self.lineEvery = max(1, totalSteps / 20)
    }

    func stepFinished(_ record: StepRecord) {
        let now = clock.now
        if start == nil { start = now } else {
            stepsTimed += 1
            samplesTimed += record.samples
        }
        let isLast = record.step == record.totalSteps || record.batch + 1 == record.batchesPerEpoch
        if console.isTerminal {
            guard isLast || lastDraw.map({ now - $0 > .milliseconds(100) }) ?? true else { return }
            lastDraw = now
            console.output("\r" + bar(record, now: now) + "\u{1B}[K")
            barShown = true
        } else if record.step % lineEvery == 0 || record.step == record.totalSteps {
            console.output(line(record, now: now) + "\n")
        }
    }

    func epochFinished(_ record: EpochRecord) {
        clearBar()
        var text = "epoch \(record.epoch + 1)/\(record.epochs):"
        if let trainLoss = record.trainLoss { text += " train loss \(formatFixed(trainLoss, decimals: 4))" }
        if let test = record.test { text += (record.trainLoss == nil ? "" : ",") + " " + Self.describe(test) }
        console.output(text + "\n")
    }

    func watchedGradient(name: String, afterBackward: Bool, gradient: Tensor?) {
        clearBar()
        console.output("\(name).grad \(afterBackward ? "after" : "before") backward\n"
                       + (gradient.map(TensorText.describe) ?? "None") + "\n")
    }

    func checkpointWritten(path: String, step: Int, reason: CheckpointReason) {
        guard reason != .periodic else { return }
        clearBar()
        console.output("checkpoint at step \(step) written to \(path)\n")
    }

    /// Ends a live bar's line so the next text starts on its own line.
    func clearBar() {
        guard barShown else { return }
        console.output("\r\u{1B}[K")
        barShown = false
    }

    /// `test loss 0.4012, accuracy 91.39% (329/360)`.
    static func describe(_ test: Evaluation) -> String {
        "test loss \(formatFixed(test.loss, decimals: 4))"
            + (test.correct.map { ", accuracy \(formatFixed(100 * Double($0) / Double(test.samples), decimals: 2))% (\($0)/\(test.samples))" } ?? "")
    }

    /// `epoch 1/10 [██████······]  45/450  loss 0.4312  8,532 images/s  ETA 0:12`.
    private func bar(_ record: StepRecord, now: ContinuousClock.Instant) -> String {
        let width = 20
        let filled = width * (record.batch + 1) / record.batchesPerEpoch
        return "epoch \(record.epoch + 1)/\(record.epochs) [" + String(repeating: "█", count: filled)
            + String(repeating: "·", count: width - filled) + "] \(record.step)/\(record.totalSteps)"
            + "  loss \(formatFixed(Double(record.loss), decimals: 4))" + rates(record, now: now)
    }

    /// `step 45/450  epoch 1/10  loss 0.431201  lr 0.01  8,532 images/s  ETA 0:12`.
    private func line(_ record: StepRecord, now: ContinuousClock.Instant) -> String {
        return "step \(record.step)/\(record.totalSteps)  epoch \(record.epoch + 1)/\(record.epochs)  loss \(formatFixed(Double(record.loss), decimals: 6))"
            + "  lr \(record.learningRate)" + rates(record, now: now)
    }

    /// `  8,532 images/s  ETA 0:12`, once a step has been timed (the first one starts the clock).
    private func rates(_ record: StepRecord, now: ContinuousClock.Instant) -> String {
        guard let start, stepsTimed > 0 else { return "" }
        let seconds = Self.seconds(now - start)
        guard seconds > 0 else { return "" }
        let remaining = Double(record.totalSteps - record.step) * seconds / Double(stepsTimed)
        return "  \(formatCount(Int(Double(samplesTimed) / seconds))) images/s  ETA \(Self.clockTime(remaining))"
    }

    /// `0.94 ms` below a second, `3.06 s` above.
    static func duration(_ seconds: Double) -> String {
        seconds < 1 ? "\(formatFixed(seconds * 1000, decimals: 2)) ms" : "\(formatFixed(seconds, decimals: 2)) s"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// `0:07`, `12:30`, `2:05:00`.
    static func clockTime(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let tail = String(format: "%02d", rest)
        return hours > 0 ? "\(hours):" + String(format: "%02d", minutes) + ":\(tail)" : "\(minutes):\(tail)"
    }
}
