import Foundation
import SwiftProtobuf
import TensorBoardSchema

/// `--tensorboard DIR`: an event file `DIR/events.out.tfevents.<seconds>.<host>.<pid>.0`, as PyTorch's
/// `SummaryWriter` names it, holding TensorBoard `Event` protos in TFRecord framing: the file version
/// "brain.Event:2" first, then scalars (`simple_value`, as `add_scalar` writes them):
///
/// | tag | step | value |
/// |---|---|---|
/// | `train/loss`, `train/lr` | each optimizer step | the step's loss and learning rate |
/// | `epoch/train_loss` | the epoch's last step | the epoch's mean training loss |
/// | `epoch/test_loss`, `epoch/test_accuracy` | the epoch's last step | the test metrics (accuracy in 0…1) |
///
/// The file is new for every run (created exclusively; a resumed run starts a new one, which
/// TensorBoard reads as the same run). Events are buffered and appended, then flushed to disk, when
/// the trainer persists its observers, so a failed write stops the run and keeps what was written.
final class TensorBoardWriter: TrainingObserver {
    static let fileVersion = "brain.Event:2"

    let path: String
    private let descriptor: Int32
    private let output: FileOutput
    private let clock: @Sendable () -> Double
    private var pending = Data()

    /// Creates `directory` if needed and the event file in it, holding the file-version event.
    /// `clock` gives each event's wall time in seconds since 1970.
    init(directory: String, output: FileOutput = .system,
         clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws(TrainingError) {
        self.output = output
        self.clock = clock
        do throws(FileWriteError) {
            try OutputDirectory.create(directory)
        } catch {
            throw .invalidOption("--tensorboard \(directory): \(error)")
        }
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        path = "\(directory)/events.out.tfevents.\(Int(clock())).\(host).\(getpid()).0"
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .invalidOption("--tensorboard \(directory): cannot create \(path): \(String(cString: strerror(errno)))")
        }
        var version = Tensorboard_Event()
        version.wallTime = clock()
        version.fileVersion = Self.fileVersion
        append(version)
        try persist()
    }

    func stepFinished(_ record: StepRecord) {
        append(scalars: [("train/loss", Double(record.loss)), ("train/lr", record.learningRate)], step: record.step)
    }

    func epochFinished(_ record: EpochRecord) {
        var values: [(String, Double)] = []
        if let trainLoss = record.trainLoss { values.append(("epoch/train_loss", trainLoss)) }
        if let test = record.test {
            values.append(("epoch/test_loss", test.loss))
            if let accuracy = test.accuracy { values.append(("epoch/test_accuracy", accuracy)) }
        }
        append(scalars: values, step: record.step)
    }

    /// Appends the buffered events and flushes them to disk; on failure they stay buffered.
    func persist() throws(TrainingError) {
        guard !pending.isEmpty else { return }
        do throws(FileWriteError) {
            try output.writeAll(pending, to: descriptor, path: path)
        } catch {
            throw .output("--tensorboard: \(error); the events written before are kept")
        }
        pending = Data()
    }

    /// One event per tag, as `SummaryWriter.add_scalar` writes them.
    private func append(scalars: [(tag: String, value: Double)], step: Int) {
        for (tag, value) in scalars {
            var scalar = Tensorboard_Summary.Value()
            scalar.tag = tag
            scalar.simpleValue = Float(value)
            var event = Tensorboard_Event()
            event.wallTime = clock()
            event.step = Int64(step)
            event.summary = Tensorboard_Summary.with { $0.value = [scalar] }
            append(event)
        }
    }

    private func append(_ event: Tensorboard_Event) {
        // Serialising a message made of set fields cannot fail (no required fields, no Any).
        guard let bytes = try? event.serializedData() else { return }
        pending.append(TensorBoardRecord.framed(bytes))
    }

    deinit { close(descriptor) }
}
