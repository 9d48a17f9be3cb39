import Foundation

/// `--log FILE.csv`: a row `step,epoch,loss,lr` per step (1-based step and epoch), and per epoch
/// with test data a row of its test loss and accuracy in the last two columns:
///
///     step,epoch,loss,lr,test_loss,test_accuracy
///     1,1,2.302585,0.01,,
///     45,1,,,0.412000,0.913889
///
/// Rows are buffered and appended at each epoch's end and when the run stops.
final class TrainingLog: TrainingObserver {
    static let header = "step,epoch,loss,lr,test_loss,test_accuracy\n"

    let path: String
    private let handle: FileHandle
    private var pending = ""

    /// Opens `path`: appended to when `append` (a resumed run) and it holds a log, else started
    /// anew. A file that is not an nnspec log is replaced only with `force`.
    init(path: String, append: Bool, force: Bool) throws(TrainingError) {
        self.path = path
        let manager = FileManager.default
        var keep = false
        if manager.fileExists(atPath: path) {
            let isLog = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)))
                .flatMap { try? $0.read(upToCount: Self.header.utf8.count) }
                .map { $0 == Data(Self.header.utf8) } ?? false
            guard isLog || force else {
                throw .invalidOption("--log \(path): the file exists and is not an nnspec training log; pass --force to replace it")
            }
            keep = append && isLog
        }
        if !keep {
            guard manager.createFile(atPath: path, contents: Data(Self.header.utf8)) else {
                throw .invalidOption("--log \(path): cannot create the file")
            }
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
