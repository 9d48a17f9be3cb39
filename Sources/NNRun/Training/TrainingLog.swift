import Foundation

/// `--log FILE.csv`: a row `step,epoch,loss,lr` per step (1-based step and epoch), and per epoch
/// with test data a row of its test loss and accuracy in the last two columns:
///
///     step,epoch,loss,lr,test_loss,test_accuracy
///     1,1,2.302585,0.01,,
///     45,1,,,0.412000,0.913889
///
/// Rows are buffered and appended (and flushed to disk) at each epoch's end, before each checkpoint
/// is written, and when the run stops. So the log holds every row up to the newest checkpoint's
/// step, whenever the process is killed; a write that fails (a full disk) stops the run with its error.
final class TrainingLog: TrainingObserver {
    static let header = "step,epoch,loss,lr,test_loss,test_accuracy\n"

    let path: String
    private let descriptor: Int32
    private let output: FileOutput
    private var pending = ""

    /// Opens `path`. A run resumed after step `resumedAfter` keeps the log's complete rows up to that
    /// step (rows a killed run wrote after its last checkpoint, and a row cut short, are dropped) and
    /// appends; any other run starts it anew. A regular file that is not an nnspec log is replaced
    /// only with `force`; anything else (a link, a FIFO, a device) never.
    init(path: String, resumedAfter step: Int?, force: Bool, output: FileOutput = .system) throws(TrainingError) {
        self.path = path
        self.output = output
        var contents = Self.header
        do throws(FileWriteError) {
            try OutputPath.requireWritable(path)
        } catch {
            throw .invalidOption("--log \(path): \(error)")
        }
        if OutputPath.isRegularFile(path) {
            let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            guard existing.hasPrefix(Self.header) || force else {
                throw .invalidOption("--log \(path): the file exists and is not an nnspec training log; pass --force to replace it")
            }
            if let step, existing.hasPrefix(Self.header) {
                contents += Self.completeRows(of: existing.dropFirst(Self.header.count), upToStep: step)
            }
        }
        do {
            try AtomicFile.write(Data(contents.utf8), to: path, output: output)
        } catch {
            throw .invalidOption("--log \(path): \(error)")
        }
        descriptor = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .invalidOption("--log \(path): cannot open the file for writing: \(String(cString: strerror(errno)))")
        }
    }

    /// The rows of `body` that end with a newline and whose step is at most `step`, each with its newline.
    static func completeRows(of body: Substring, upToStep step: Int) -> String {
        guard let lastNewline = body.lastIndex(of: "\n") else { return "" }
        return body[...lastNewline].split(separator: "\n").filter { row in
            row.split(separator: ",", maxSplits: 1).first.flatMap { Int($0) }.map { $0 <= step } ?? false
        }.map { $0 + "\n" }.joined()
    }

    func stepFinished(_ record: StepRecord) {
        pending += "\(record.step),\(record.epoch + 1),\(record.loss),\(record.learningRate),,\n"
    }

    func epochFinished(_ record: EpochRecord) {
        if let test = record.test {
            pending += "\(record.step),\(record.epoch + 1),,,\(test.loss),\(test.accuracy.map { "\($0)" } ?? "")\n"
        }
    }

    /// Appends the buffered rows and flushes them to disk; on failure the rows stay buffered.
    func persist() throws(TrainingError) {
        guard !pending.isEmpty else { return }
        do throws(FileWriteError) {
            try output.writeAll(Data(pending.utf8), to: descriptor, path: path)
        } catch {
            throw .output("--log: \(error); the last checkpoint is unchanged")
        }
        pending = ""
    }

    deinit { close(descriptor) }
}
