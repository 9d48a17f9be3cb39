import Foundation

/// `--log FILE.csv`: a row `step,epoch,loss,lr` per step (1-based step and epoch), and per epoch
/// with test data a row of its test loss and accuracy in the last two columns:
///
///     step,epoch,loss,lr,test_loss,test_accuracy
///     1,1,2.302585,0.01,,
///     45,1,,,0.412000,0.913889
///
/// Rows are buffered and appended at each epoch's end, with each checkpoint, and when the run stops.
final class TrainingLog: TrainingObserver {
    static let header = "step,epoch,loss,lr,test_loss,test_accuracy\n"

    let path: String
    private let handle: FileHandle
    private var pending = ""

    /// Opens `path`. A run resumed after step `resumedAfter` keeps the log's rows up to that step
    /// (rows a crashed run wrote after its last checkpoint are dropped) and appends; any other run
    /// starts it anew. A file that is not an nnspec log is replaced only with `force`.
    init(path: String, resumedAfter step: Int?, force: Bool) throws(TrainingError) {
        self.path = path
        var contents = Self.header
        if FileManager.default.fileExists(atPath: path) {
            let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            guard existing.hasPrefix(Self.header) || force else {
                throw .invalidOption("--log \(path): the file exists and is not an nnspec training log; pass --force to replace it")
            }
            if let step, existing.hasPrefix(Self.header) {
                let rows = existing.dropFirst(Self.header.count).split(separator: "\n").filter { row in
                    row.split(separator: ",", maxSplits: 1).first.flatMap { Int($0) }.map { $0 <= step } ?? false
                }
                contents += rows.map { $0 + "\n" }.joined()
            }
        }
        do {
            try AtomicFile.write(Data(contents.utf8), to: path)
        } catch {
            throw .invalidOption("--log \(path): \(error)")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw .invalidOption("--log \(path): cannot open the file for writing") }
        self.handle = handle
        handle.seekToEndOfFile()
    }

    func stepFinished(_ record: StepRecord) {
        pending += "\(record.step),\(record.epoch + 1),\(record.loss),\(record.learningRate),,\n"
    }

    func epochFinished(_ record: EpochRecord) {
        if let test = record.test {
            pending += "\(record.step),\(record.epoch + 1),,,\(test.loss),\(test.accuracy.map { "\($0)" } ?? "")\n"
        }
        flush()
    }

    func checkpointWritten(path: String, step: Int, reason: CheckpointReason) { flush() }

    /// Appends the buffered rows.
    func flush() {
        guard !pending.isEmpty else { return }
        handle.write(Data(pending.utf8))
        pending = ""
    }

    deinit {
        flush()
        try? handle.close()
    }
}
