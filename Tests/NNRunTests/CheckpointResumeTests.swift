import Foundation
import NN
import NNCatalogue
import Testing
@testable import NNRun

/// Determinism, checkpoints and resuming: the same spec and seed give bit-identical losses, a run
/// stopped at any step and resumed from its checkpoint gives the uninterrupted run's losses, and a
/// checkpoint is replaced atomically or not at all.
@Suite struct CheckpointResumeTests {
    let scratch: ScratchDirectory
    let specPath: String

    init() throws {
        scratch = try ScratchDirectory()
        specPath = try scratch.write(smallClassifierSpec, to: "small.yaml")
    }

    /// The small spec with `optimizer` (lr 0.01) instead of Adam, written to the scratch directory.
    func specFile(optimizer: String) throws -> String {
        try specFile(replacing: ["{type: Adam, lr: 0.01}": "{type: \(optimizer), lr: 0.01}"], name: optimizer)
    }

    /// The small spec with each key's text replaced by its value, written as `small-NAME.yaml`.
    func specFile(replacing replacements: [String: String], name: String) throws -> String {
        let text = replacements.reduce(smallClassifierSpec) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        return try scratch.write(text, to: "small-\(name).yaml")
    }

    /// The losses of an uninterrupted run of the small spec (with `optimizer`).
    func uninterruptedLosses(optimizer: String = "Adam") throws -> [Float] {
        try uninterruptedLosses(of: try specFile(optimizer: optimizer))
    }

    func uninterruptedLosses(of specPath: String) throws -> [Float] {
        let trainer = try Trainer(spec: try validatedSpec(path: specPath))
        let recorder = LossRecorder()
        trainer.observers = [recorder]
        #expect(try trainer.run() == .finished)
        return recorder.losses
    }

    /// Runs `specPath` to step `step`, interrupts it, resumes a new trainer from its checkpoint and
    /// runs that to the end: the losses of both parts must be the uninterrupted run's, bit for bit.
    /// Returns the resumed trainer.
    @discardableResult
    func expectResumedRunMatches(_ specPath: String, stopAfter step: Int) throws -> Trainer {
        let expected = try uninterruptedLosses(of: specPath)
        let directory = scratch.path("run-\(step)-\(URL(fileURLWithPath: specPath).lastPathComponent)")
        let first = try Trainer(spec: try validatedSpec(path: specPath))
        let interruption = InterruptFlag()
        let recorder = LossRecorder()
        recorder.interruptAfterStep = step
        recorder.interruption = interruption
        first.observers = [recorder]
        first.interruption = interruption
        first.checkpoints = CheckpointPolicy(directory: directory, every: nil)
        #expect(try first.run() == .interrupted)
        #expect(recorder.losses.count == step)

        let checkpoint = try Checkpoint(directory: directory)
        #expect(checkpoint.position.step == step)
        #expect(checkpoint.generatorStates.keys.sorted() == ["drop"])
        let second = try Trainer(spec: try validatedSpec(path: specPath))
        try checkpoint.restore(into: second)
        let rest = LossRecorder()
        second.observers = [rest]
        #expect(try second.run() == .finished)
        #expect((recorder.losses + rest.losses).map(\.bitPattern) == expected.map(\.bitPattern))
        return second
    }

    @Test func sameSeedGivesBitIdenticalLosses() throws {
        let first = try uninterruptedLosses(), second = try uninterruptedLosses()
        #expect(first.count == 24)
        #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
        #expect(Set(first).count > 20, "the losses change from step to step")
        var options = TrainingOptions()
        options.seed = 6
        let reseeded = try Trainer(spec: try TrainingSession.applying(options, to: try validatedSpec(path: specPath)))
        let recorder = LossRecorder()
        reseeded.observers = [recorder]
        _ = try reseeded.run()
        #expect(recorder.losses != first)
    }

    /// Stopped after step k (mid-epoch, at an epoch's end with its scheduler step, at the first
    /// step), then resumed in a new trainer from the checkpoint: the same 24 losses, bit for bit,
    /// with every optimizer of the catalogue (its state saved and restored).
    @Test(arguments: [1, 11, 16], StandardCatalogue.optimizers.map(\.typeName))
    func resumedRunGivesTheUninterruptedLosses(stopAfter step: Int, optimizer: String) throws {
        let resumed = try expectResumedRunMatches(try specFile(optimizer: optimizer), stopAfter: step)
        #expect(resumed.optimizer.learningRate == 0.01 * 0.5 * 0.5 * 0.5)
    }

    /// ReduceLROnPlateau (patience 0, so it reduces within the run) keeps its best metric and counters
    /// in the checkpoint, and the epoch's running training loss too, which is its metric without a
    /// test split: resumed mid-epoch or at an epoch's end, the losses are the uninterrupted run's.
    @Test(arguments: [11, 16], [true, false])
    func plateauSchedulerResumesExactly(stopAfter step: Int, withTestSplit: Bool) throws {
        var replacements = ["{type: StepLR, step_size: 1, gamma: 0.5}": "{type: ReduceLROnPlateau, patience: 0, threshold: 0.5}"]
        if !withTestSplit { replacements["  test: {source: random, samples: 20, seed: 7, classes: 3}\n"] = "" }
        let specPath = try specFile(replacing: replacements, name: "plateau-\(withTestSplit)")
        let resumed = try expectResumedRunMatches(specPath, stopAfter: step)
        #expect(resumed.optimizer.learningRate < 0.01, "the rate was reduced")
    }

    /// OneCycleLR steps after every batch (its step count is the run's) and cycles Adam's beta1,
    /// which a resumed run sets again from that count: resumed mid-epoch or at an epoch's end, the
    /// losses are the uninterrupted run's.
    @Test(arguments: [1, 11, 16])
    func perBatchSchedulerResumesExactly(stopAfter step: Int) throws {
        let specPath = try specFile(replacing: ["{type: StepLR, step_size: 1, gamma: 0.5}": "{type: OneCycleLR, max_lr: 0.05}"],
                                    name: "one-cycle")
        let resumed = try expectResumedRunMatches(specPath, stopAfter: step)
        #expect(resumed.scheduler?.lastEpoch == 24)
        #expect((resumed.optimizer as? Adam)?.moments.betas.0 != 0.9, "beta1 follows the cycle")
    }

    /// Through the command: `--steps 5 --checkpoint-dir`, then `--resume` to 24 steps, logs
    /// the same rows as one uninterrupted run.
    @Test func resumingThroughTheCommandContinuesTheLog() throws {
        let whole = scratch.path("whole.csv"), parts = scratch.path("parts.csv"), directory = scratch.path("checkpoints")
        #expect(runTrain(specPath) { $0.logFile = whole; $0.quiet = true }.status == 0)
        let head = runTrain(specPath) { $0.logFile = parts; $0.steps = 5; $0.checkpointDirectory = directory; $0.quiet = true }
        #expect(head.status == 0)
        // Rows a crashed run logged after its last checkpoint are dropped on resuming.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: parts))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("6,1,9.99,0.01,,\n".utf8))
        try handle.close()
        let tail = runTrain(specPath) { $0.logFile = parts; $0.resumeDirectory = directory; $0.steps = 24 }
        #expect(tail.status == 0)
        #expect(tail.output.contains("resuming from \(directory) at step 5 (epoch 1, batch 6)"))
        let stepRows = { (path: String) in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { $0.hasSuffix(",,") }
        }
        #expect(try stepRows(parts) == stepRows(whole))
        #expect(try Checkpoint(directory: directory).position.step == 24)
    }

    @Test func resumeRefusesADifferentBatchSizeOrNetwork() throws {
        let directory = scratch.path("checkpoints")
        #expect(runTrain(specPath) { $0.steps = 3; $0.checkpointDirectory = directory; $0.quiet = true }.status == 0)
        let otherBatch = runTrain(specPath) { $0.resumeDirectory = directory; $0.batchSize = 4 }
        #expect(otherBatch.status == 1)
        #expect(otherBatch.error.contains("batch size 8, but this run has seed 5 and batch size 4"))
        let lenet = repositoryRoot.appendingPathComponent("examples/lenet.yaml").path
        let otherNetwork = runTrain(lenet) { $0.resumeDirectory = directory; $0.seed = 5; $0.batchSize = 8 }
        #expect(otherNetwork.status == 1)
        #expect(otherNetwork.error.contains("checkpoint"))
    }

    @Test func checkpointIsWrittenAtomically() throws {
        let trainer = try Trainer(spec: try validatedSpec(path: specPath))
        let directory = scratch.path("atomic")
        let path = try Checkpoint(of: trainer).write(toDirectory: directory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [Checkpoint.fileName])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        // A disk that fills up during the next write.
        trainer.position = TrainingPosition(epoch: 1, batch: 2, step: 10)
        #expect {
            try Checkpoint(of: trainer).write(toDirectory: directory, output: FailingOutput(failingCall: 1, errno: ENOSPC).output)
        } throws: { error in
            "\(error)".contains("No space left on device") && "\(error)".contains("the previous checkpoint is unchanged")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [Checkpoint.fileName])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Checkpoint(directory: directory).position.step == 0)
    }

    @Test func foreignFileNamedLikeACheckpointIsNotReplaced() throws {
        let directory = scratch.path("foreign")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = Checkpoint.path(inDirectory: directory)
        try Data("someone else's".utf8).write(to: URL(fileURLWithPath: path))
        let run = runTrain(specPath) { $0.checkpointDirectory = directory; $0.steps = 1 }
        #expect(run.status == 1)
        #expect(run.error.contains("is not an nnspec checkpoint; pass --force"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "someone else's")
    }

    @Test func damagedCheckpointIsNamed() throws {
        let directory = scratch.path("damaged")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: Checkpoint.path(inDirectory: directory)))
        let run = runTrain(specPath) { $0.resumeDirectory = directory }
        #expect(run.status == 1)
        #expect(run.error.contains("\(Checkpoint.fileName) is not a readable checkpoint"))
    }

    /// SIGINT's flag: the step finishes, a checkpoint is written, the status is 130.
    @Test func interruptionWritesACheckpointAndExits130() throws {
        let directory = scratch.path("interrupted")
        var options = TrainingOptions()
        options.checkpointDirectory = directory
        let interruption = InterruptFlag()
        interruption.raise()
        let captured = CapturedConsole()
        let status = TrainingSession.run(file: specPath, options: options, console: captured.console(), interruption: interruption)
        #expect(status == 130)
        #expect(captured.output.contains("interrupted after step 0 of 24"))
        #expect(try Checkpoint(directory: directory).position == TrainingPosition())
    }
}
