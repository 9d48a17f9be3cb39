import Foundation
import NN
import Testing
@testable import NNRun

/// The places `nnspec train` writes (`--save`, `--log`, the checkpoint) under faults and hostile
/// file systems: a full disk or failing device stops the run with exit 1 and keeps the last good
/// checkpoint; a read-only directory is refused before the first step; a symbolic link or FIFO is
/// never written through or waited on, with or without `--force`.
@Suite struct OutputSafetyTests {
    let scratch: ScratchDirectory
    let specPath: String

    init() throws { (scratch, specPath) = try scratchWithSmallSpec() }

    /// The step rows (`step,epoch,loss,lr,,`) of a log.
    func stepRows(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { $0.hasSuffix(",,") }
    }

    /// With `--checkpoint-every 1` the writes are: the log's creation, then per step the log's rows
    /// and the checkpoint. The 6th write is step 3's log rows, the 7th step 3's checkpoint; the 4th
    /// fsync is step 2's log rows. Each failure stops the run with exit 1 and its reason, leaves step
    /// 2's checkpoint (no temporary file), and a resumed run ends with the uninterrupted run's log.
    @Test(arguments: [(6, ENOSPC, FailingOutput.Call.write), (7, ENOSPC, .write), (4, EIO, .sync)])
    func failedWriteStopsTheRunAndKeepsTheLastCheckpoint(failingCall: Int, code: Int32, call: FailingOutput.Call) throws {
        let whole = scratch.path("whole.csv"), log = scratch.path("run.csv"), directory = scratch.path("checkpoints")
        #expect(runTrain(specPath) { $0.logFile = whole; $0.quiet = true }.status == 0)
        let failing = FailingOutput(failingCall: failingCall, errno: code, on: call)
        let run = runTrain(specPath) {
            $0.logFile = log; $0.checkpointDirectory = directory; $0.checkpointEvery = 1; $0.quiet = true
            $0.fileOutput = failing.output
        }
        #expect(run.status == 1)
        #expect(run.error.contains(String(cString: strerror(code))), "\(run.error)")
        let kept = try Checkpoint(directory: directory)
        #expect(kept.position.step == (call == .sync ? 1 : 2))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [Checkpoint.fileName])
        #expect(try stepRows(log).count >= kept.position.step)

        let resumed = runTrain(specPath) { $0.logFile = log; $0.resumeDirectory = directory; $0.quiet = true }
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(try stepRows(log) == stepRows(whole))
    }

    /// A failed `--save` at the end leaves no temporary file and no partial weights.
    @Test func fullDiskAtSaveLeavesNothingBehind() throws {
        let weights = scratch.path("out.safetensors")
        let run = runTrain(specPath) { $0.saveWeights = weights; $0.quiet = true; $0.fileOutput = FailingOutput(failingCall: 1, errno: ENOSPC).output }
        #expect(run.status == 1)
        #expect(run.error.contains("--save \(weights): cannot write") && run.error.contains("No space left on device"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == ["small.yaml"])
    }

    @Test func logRowsUpToACheckpointAreOnDiskBeforeTheCheckpoint() throws {
        /// Reads the log the moment a checkpoint exists, as after a SIGKILL right after its rename.
        final class LogProbe: TrainingObserver {
            let log: String
            var shortfalls: [Int] = []
            init(log: String) { self.log = log }
            func checkpointWritten(path: String, step: Int, reason: CheckpointReason) {
                let rows = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").filter { $0.hasSuffix(",,") } ?? []
                if rows.count < step { shortfalls.append(step) }
            }
        }
        let path = scratch.path("probe.csv")
        let trainer = try Trainer(spec: try validatedSpec(path: specPath))
        let probe = LogProbe(log: path)
        trainer.observers = [probe, try TrainingLog(path: path, resumedAfter: nil, force: false)]
        trainer.checkpoints = CheckpointPolicy(directory: scratch.path("probe"), every: 1)
        #expect(try trainer.run() == .finished)
        #expect(probe.shortfalls.isEmpty, "checkpoints ahead of the log at steps \(probe.shortfalls)")
    }

    @Test func resumedLogDropsARowCutShortByAKill() {
        let body = "1,1,2.5,0.01,,\n2,1,2.4,0.01,,\n1"  // step 12's row cut after its first digit
        #expect(TrainingLog.completeRows(of: body[...], upToStep: 12) == "1,1,2.5,0.01,,\n2,1,2.4,0.01,,\n")
        #expect(TrainingLog.completeRows(of: body[...], upToStep: 1) == "1,1,2.5,0.01,,\n")
    }

    @Test(arguments: ["save", "log", "checkpoint"])
    func readOnlyOutputDirectoryIsRefusedBeforeTheFirstStep(output: String) throws {
        let readOnly = try ReadOnlyDirectory(inside: scratch)
        let target = readOnly.path + "/" + (output == "checkpoint" ? "" : "out")
        let run = runTrain(specPath) {
            switch output {
            case "save": $0.saveWeights = target
            case "log": $0.logFile = target
            default: $0.checkpointDirectory = target
            }
        }
        #expect(run.status == 1)
        #expect(run.error.contains("cannot create a file in \(readOnly.path)"), "\(run.error)")
        #expect(!run.output.contains("step 1/"), "refused before training")
    }

    /// A symbolic link or FIFO where nnspec would write is refused before training, even with
    /// `--force`; the link's target is untouched and the FIFO is not opened (no hang).
    @Test(arguments: ["save", "log", "checkpoint"], ["link", "fifo"])
    func specialFileAtAnOutputPathIsNeverReplaced(output: String, kind: String) throws {
        let victim = try scratch.write("precious", to: "victim.txt")
        let directory = scratch.path("checkpoints")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = output == "checkpoint" ? Checkpoint.path(inDirectory: directory) : scratch.path("out")
        try (kind == "link" ? SpecialFile.symbolicLink(to: victim) : .fifo).make(at: target)
        let run = runTrain(specPath) {
            switch output {
            case "save": $0.saveWeights = target
            case "log": $0.logFile = target
            default: $0.checkpointDirectory = directory
            }
            $0.force = true
        }
        #expect(run.status == 1)
        #expect(run.error.contains("cannot replace \(target): it is a"), "\(run.error)")
        #expect(run.error.contains("not a regular file"))
        #expect(!run.output.contains("step 1/"))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
    }

    /// Issue 13's reproduction: a symbolic link planted at the temporary name writes once went
    /// through (`.NAME.tmp`) is not followed; temporary names are unpredictable now.
    @Test func plantedLinkAtTheOldTemporaryNameIsNotFollowed() throws {
        let victim = try scratch.write("precious", to: "victim.txt")
        let weights = scratch.path("out.safetensors"), log = scratch.path("run.csv"), directory = scratch.path("checkpoints")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for path in [weights, log, Checkpoint.path(inDirectory: directory)] {
            let url = URL(fileURLWithPath: path)
            try SpecialFile.symbolicLink(to: victim).make(at: url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp").path)
        }
        let run = runTrain(specPath) { $0.saveWeights = weights; $0.logFile = log; $0.checkpointDirectory = directory; $0.checkpointEvery = 4; $0.quiet = true }
        #expect(run.status == 0, "\(run.error)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try SafetensorsFile(contentsOf: URL(fileURLWithPath: weights)).tensors.count == 4)
    }

    /// A FIFO or a link to one given as weights to read (`--init`) or as the checkpoint to resume
    /// from is refused at once, not waited on.
    @Test(arguments: ["init", "resume"])
    func fifoToReadIsRefusedAtOnce(input: String) throws {
        let directory = scratch.path("fifo-checkpoint")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fifo = input == "init" ? scratch.path("weights.safetensors") : Checkpoint.path(inDirectory: directory)
        try SpecialFile.fifo.make(at: fifo)
        let run = runTrain(specPath) {
            if input == "init" { $0.initialWeights = fifo } else { $0.resumeDirectory = directory }
        }
        #expect(run.status == 1)
        #expect(run.error.contains("\(fifo): cannot read: not a regular file"), "\(run.error)")
    }
}
