import Foundation

/// `--log FILE.csv`: a row `step,epoch,loss,lr` per step (1-based step and epoch), and per epoch a
/// row of its test loss and accuracy, its mean training loss and the wall time at its end (seconds
/// since 1970, as TensorBoard's):
///
///     step,epoch,loss,lr,test_loss,test_accuracy,train_loss,wall_time
///     1,1,2.302585,0.01,,,,
///     45,1,,,0.412000,0.913889,0.804121,1764950000.125
///
/// The first six columns are the log's first format's, in the same order (step rows still end in
/// `,,`); a log of that format is upgraded (its rows padded) when a resumed run appends to it.
/// Rows are buffered and appended (and flushed to disk) at each epoch's end, before each checkpoint
/// is written, and when the run stops. So the log holds every row up to the newest checkpoint's
/// step, whenever the process is killed; a write that fails (a full disk) stops the run with its error.
final class TrainingLog: TrainingObserver {
    static let header = "step,epoch,loss,lr,test_loss,test_accuracy,train_loss,wall_time\n"
    /// The header of the first format, whose rows lack the last two columns.
    static let firstFormatHeader = "step,epoch,loss,lr,test_loss,test_accuracy\n"

    let path: String
    private let descriptor: Int32
    private let output: FileOutput
    private var pending = ""
    private let clock: @Sendable () -> Double

    /// Opens `path`. A run resumed after step `resumedAfter` keeps the log's complete rows up to that
    /// step (rows a killed run wrote after its last checkpoint, and a row cut short, are dropped) and
    /// appends; any other run starts it anew. A regular file that is not an nnspec log is replaced
    /// only with `force`; anything else (a link, a FIFO, a device) never.
    /// `clock` gives the wall time in seconds since 1970.
    init(path: String, resumedAfter step: Int?, force: Bool, output: FileOutput = .system,
         clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws(TrainingError) {
        self.path = path
        self.output = output
        self.clock = clock
        var contents = Self.header
        do throws(FileWriteError) {
            try OutputPath.requireWritable(path)
        } catch {
            throw .invalidOption("--log \(path): \(error)")
        }
        if OutputPath.isRegularFile(path) {
            let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let format = [Self.header, Self.firstFormatHeader].first { existing.hasPrefix($0) }
            guard format != nil || force else {
                throw .invalidOption("--log \(path): the file exists and is not an nnspec training log; pass --force to replace it")
            }
            if let step, let format {
                let rows = Self.completeRows(of: existing.dropFirst(format.count), upToStep: step)
                contents += format == Self.header ? rows : rows.replacingOccurrences(of: "\n", with: ",,\n")
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
        pending += Self.row(record)
    }

    func epochFinished(_ record: EpochRecord) {
        pending += Self.row(record, wallTime: clock())
    }

    /// A step's row: `step,epoch,loss,lr,,,,`.
    static func row(_ record: StepRecord) -> String {
        "\(record.step),\(record.epoch + 1),\(record.loss),\(record.learningRate),,,,\n"
    }

    /// An epoch's row: `step,epoch,,,test_loss,test_accuracy,train_loss,wall_time` (empty where
    /// unknown); none when the epoch has neither test metrics nor a training loss.
    static func row(_ record: EpochRecord, wallTime: Double) -> String {
        guard record.test != nil || record.trainLoss != nil else { return "" }
        let test = record.test.map { "\($0.loss),\($0.accuracy.map { "\($0)" } ?? "")" } ?? ","
        return "\(record.step),\(record.epoch + 1),,,\(test),\(record.trainLoss.map { "\($0)" } ?? ""),\(wallTime)\n"
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
