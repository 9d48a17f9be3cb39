import Foundation
import NN
import Testing
@testable import NNRun

/// A checkpoint is trusted only as far as it agrees with itself and with the run: tampered
/// metadata, missing optimizer state and flipped tensor bytes are refused, each by name, and a
/// spec with another seed or batch size is refused rather than silently given the checkpoint's.
@Suite struct CheckpointTrustTests {
    let scratch: ScratchDirectory
    let specPath: String
    let directory: String

    /// A checkpoint of the small spec after 3 steps (Adam state, StepLR, a dropout generator).
    init() throws {
        (scratch, specPath) = try scratchWithSmallSpec()
        directory = scratch.path("checkpoints")
        let run = runTrain(specPath) { $0.steps = 3; $0.checkpointDirectory = directory; $0.quiet = true }
        #expect(run.status == 0, "\(run.error)")
    }

    var path: String { Checkpoint.path(inDirectory: directory) }

    /// Rewrites the checkpoint after `change`, with its checksum made right for the new tensors (so
    /// only what `change` did is wrong).
    func tamper(_ change: (inout SafetensorsFile) throws -> Void) throws {
        var file = try SafetensorsFile(contentsOf: URL(fileURLWithPath: path))
        try change(&file)
        var checksum = TensorChecksum()
        try file.encodedDataSection().withUnsafeBytes { checksum.add($0) }
        file.metadata[Checkpoint.checksumKey] = checksum.text
        try file.encoded().write(to: URL(fileURLWithPath: path))
    }

    func resumeError(_ configure: (inout TrainingOptions) -> Void = { _ in }) -> String {
        let run = runTrain(specPath) { $0.resumeDirectory = directory; configure(&$0) }
        #expect(run.status == 1)
        return run.error
    }

    @Test func untouchedCheckpointResumes() {
        #expect(runTrain(specPath) { $0.resumeDirectory = directory; $0.quiet = true }.status == 0)
    }

    @Test(arguments: [
        ("lr", "-1", "metadata 'lr' is '-1', not a finite number above 0"),
        ("lr", "0", "metadata 'lr' is '0', not a finite number above 0"),
        ("epoch", "999999", "position does not add up: step 3 cannot be batch 4 of epoch 1000000 with 8 batches an epoch"),
        ("batch", "9", "stopped at batch 9, but an epoch of this data has 8 batches"),
        ("optimizer_steps", "0", "records 0 optimizer steps at step 3"),
        ("scheduler_last_epoch", "2", "scheduler is at epoch 2, but its run is in epoch 1"),
    ])
    func tamperedMetadataIsRefused(key: String, value: String, message: String) throws {
        try tamper { $0.metadata[key] = value }
        let error = resumeError()
        #expect(error.contains(message), "\(error)")
    }

    /// Issue 13: with every `optimizer.*` tensor removed, Adam restarted its moments silently. One
    /// parameter's state missing (here fc2.weight's, parameter 2) is refused too.
    @Test(arguments: [("optimizer.", 0), ("optimizer.2.", 2)])
    func missingOptimizerStateIsRefused(removedPrefix: String, parameter: Int) throws {
        try tamper { $0.tensors.removeAll { $0.name.hasPrefix(removedPrefix) } }
        let error = resumeError()
        #expect(error.contains("\(path): the checkpoint's optimizer state does not fit: optimizer state for parameter \(parameter) lacks 'optimizer.\(parameter).step'"),
                "\(error)")
    }

    /// Optimizer state the optimizer does not know is refused by its name in the file (with its
    /// `optimizer.` prefix): a tensor renamed to another parameter's index, or a copy under a
    /// buffer name Adam does not have, beside the original.
    @Test(arguments: [
        ("optimizer.2.exp_avg", "optimizer.9.exp_avg", false,
         "optimizer state 'optimizer.9.exp_avg' does not name one of the 4 parameters as 'optimizer.<index>.<buffer>'"),
        ("optimizer.2.exp_avg", "optimizer.2.velocity", true, "optimizer state 'optimizer.2.velocity' is not a buffer of this optimizer"),
    ])
    func unknownOptimizerStateIsRefusedByItsName(from name: String, to newName: String, keepsOriginal: Bool, message: String) throws {
        try tamper { file in
            let original = try #require(file.tensors.firstIndex { $0.name == name })
            var renamed = file.tensors[original]
            renamed.name = newName
            if keepsOriginal { file.tensors.append(renamed) } else { file.tensors[original] = renamed }
        }
        let error = resumeError()
        #expect(error.contains("\(path): the checkpoint's optimizer state does not fit: \(message)"), "\(error)")
    }

    @Test func flippedTensorByteIsDetected() throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 5] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = resumeError()
        #expect(error.contains("\(path) is damaged: its tensors' checksum is"), "\(error)")
    }

    /// docs/training.md: a checkpoint made with another seed or batch size is refused (the run used
    /// to take the checkpoint's values when the spec's differed).
    @Test func specWithAnotherSeedOrBatchSizeIsRefused() throws {
        let reseeded = try scratch.write(smallClassifierSpec.replacingOccurrences(of: "seed: 5", with: "seed: 6"), to: "reseeded.yaml")
        let run = runTrain(reseeded) { $0.resumeDirectory = directory }
        #expect(run.status == 1)
        #expect(run.error.contains("made with seed 5 and batch size 8, but this run has seed 6 and batch size 8"), "\(run.error)")
        #expect(run.error.contains("pass --seed 5 --batch-size 8 to resume it"))
        #expect(resumeError { $0.batchSize = 4 }.contains("but this run has seed 5 and batch size 4"))
    }

    /// A checkpoint whose tensors outnumber what the network and optimizer can hold is refused
    /// before its tensors are read (memory stays within the network's size).
    @Test func checkpointLargerThanTheNetworkIsRefusedUnread() throws {
        let lenet = repositoryRoot.appendingPathComponent("examples/lenet.yaml").path
        let lenetDirectory = scratch.path("lenet")
        #expect(runTrain(lenet) { $0.checkpointDirectory = lenetDirectory; $0.quiet = true }.status == 0)
        let run = runTrain(specPath) { $0.resumeDirectory = lenetDirectory; $0.batchSize = 1; $0.seed = 0 }
        #expect(run.status == 1)
        #expect(run.error.contains("more than the 1040 this network and optimizer can have"), "\(run.error)")
    }
}
