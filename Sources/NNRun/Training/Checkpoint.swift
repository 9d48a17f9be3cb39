import Foundation
import NN
import NNTensor

/// Everything a run needs to continue exactly: weights and buffers, optimizer state, the
/// scheduler's epoch and learning rate, the position (epoch, batch, step) and the dropout
/// generators' states, with the settings that fix the batch order (seed, batch size, threads).
///
/// Stored as one safetensors file, `DIR/checkpoint.safetensors`: tensors `model.<state_dict name>`
/// (loadable into PyTorch after dropping the prefix) and `optimizer.<index>.<buffer>` (PyTorch's
/// buffer names), the rest as `__metadata__` strings. Written through a temporary file and renamed.
public struct Checkpoint {
    public static let fileName = "checkpoint.safetensors"
    /// The metadata key marking a file as an nnspec checkpoint, with the format version.
    static let formatKey = "nnspec_checkpoint"
    static let formatVersion = "1"

    public var position: TrainingPosition
    /// The network's `state_dict()` entries.
    public var modelState: [NamedTensor]
    public var optimizerState: [NamedTensor]
    public var optimizerType: String
    public var optimizerSteps: Int
    /// The learning rate in use (after the scheduler's steps), as the exact Double.
    public var learningRate: Double
    public var schedulerLastEpoch: Int?
    /// Dropout mask generators by module path (`drop`, `block.2`).
    public var generatorStates: [String: (UInt64, UInt64, UInt64, UInt64)]
    public var seed: Int
    public var batchSize: Int
    public var threads: Int

    /// The state of `trainer` now.
    public init(of trainer: Trainer) {
        position = trainer.position
        modelState = SafetensorsFile(stateOf: trainer.network).tensors
        optimizerState = trainer.optimizer.stateTensors()
        optimizerType = trainer.spec.optimizer?.typeName ?? ""
        optimizerSteps = trainer.optimizer.stepCount
        learningRate = trainer.optimizer.learningRate
        schedulerLastEpoch = trainer.scheduler?.lastEpoch
        generatorStates = Dictionary(uniqueKeysWithValues: dropoutModules(of: trainer.network).map { ($0.path, $0.module.generator.state) })
        seed = trainer.spec.train.seed
        batchSize = trainer.data.train.batchSize
        threads = trainer.threads
    }

    /// The path of the checkpoint file in `directory`.
    public static func path(inDirectory directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
    }

    // MARK: File

    /// Throws when `DIR/checkpoint.safetensors` exists but is not an nnspec checkpoint (unless `force`).
    static func checkWritable(directory: String, force: Bool) throws(TrainingError) {
        let path = path(inDirectory: directory)
        guard !force, FileManager.default.fileExists(atPath: path) else { return }
        let file = try? SafetensorsFile(contentsOf: URL(fileURLWithPath: path))
        guard file?.metadata[formatKey] != nil else {
            throw .checkpoint("--checkpoint-dir \(directory): \(fileName) exists and is not an nnspec checkpoint; pass --force to replace it")
        }
    }

    /// Writes `DIR/checkpoint.safetensors` atomically (creating DIR), returning its path; an
    /// existing checkpoint stays intact when writing fails.
    @discardableResult
    public func write(toDirectory directory: String) throws(TrainingError) -> String {
        let path = Self.path(inDirectory: directory)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .checkpoint("cannot create the checkpoint directory \(directory): \(error.localizedDescription)")
        }
        let file = SafetensorsFile(
            tensors: modelState.map { NamedTensor("model.\($0.name)", $0.tensor, dtype: $0.dtype) }
                + optimizerState.map { NamedTensor("optimizer.\($0.name)", $0.tensor, dtype: $0.dtype) },
            metadata: metadata)
        do {
            try AtomicFile.write(try file.encoded(), to: path)
        } catch let error as AtomicWriteError {
            throw .checkpoint("cannot write the checkpoint: \(error.description); the previous checkpoint is unchanged")
        } catch {
            throw .checkpoint("cannot encode the checkpoint for \(path): \(error)")
        }
        return path
    }

    /// Reads `DIR/checkpoint.safetensors`; the error names the file and what is wrong with it.
    public init(directory: String) throws(TrainingError) {
        let path = Self.path(inDirectory: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw .checkpoint("--resume \(directory): there is no \(Self.fileName) in it")
        }
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .checkpoint("\(path) is not a readable checkpoint: \(error.description)")
        }
        let fields = CheckpointMetadata(file.metadata, path: path)
        guard file.metadata[Self.formatKey] == Self.formatVersion else {
            throw .checkpoint("\(path) is not an nnspec checkpoint (version \(Self.formatVersion)): its metadata lacks \(Self.formatKey)")
        }
        position = TrainingPosition(epoch: try fields.integer("epoch"), batch: try fields.integer("batch"), step: try fields.integer("step"))
        optimizerType = try fields.text("optimizer")
        optimizerSteps = try fields.integer("optimizer_steps")
        learningRate = try fields.real("lr")
        schedulerLastEpoch = file.metadata["scheduler_last_epoch"] == nil ? nil : try fields.integer("scheduler_last_epoch")
        seed = try fields.signedInteger("seed")
        batchSize = try fields.integer("batch_size")
        threads = try fields.integer("threads")
        generatorStates = [:]
        for (key, _) in file.metadata where key.hasPrefix(Self.generatorPrefix) {
            generatorStates[String(key.dropFirst(Self.generatorPrefix.count))] = try fields.generatorState(key)
        }
        modelState = file.tensors.filter { $0.name.hasPrefix("model.") }.map { NamedTensor(String($0.name.dropFirst(6)), $0.tensor, dtype: $0.dtype) }
        optimizerState = file.tensors.filter { $0.name.hasPrefix("optimizer.") }.map { NamedTensor(String($0.name.dropFirst(10)), $0.tensor, dtype: $0.dtype) }
    }

    private static let generatorPrefix = "rng."

    private var metadata: [String: String] {
        var metadata = [
            Self.formatKey: Self.formatVersion,
            "epoch": "\(position.epoch)", "batch": "\(position.batch)", "step": "\(position.step)",
            "optimizer": optimizerType, "optimizer_steps": "\(optimizerSteps)", "lr": "\(learningRate)",
            "seed": "\(seed)", "batch_size": "\(batchSize)", "threads": "\(threads)",
        ]
        if let schedulerLastEpoch { metadata["scheduler_last_epoch"] = "\(schedulerLastEpoch)" }
        for (path, state) in generatorStates {
            metadata[Self.generatorPrefix + path] = "\(state.0) \(state.1) \(state.2) \(state.3)"
        }
        return metadata
    }

    // MARK: Restoring

    /// Puts this state into `trainer`, which must be built from the same spec with the same seed
    /// and batch size; throws naming the first difference, leaving the trainer unusable for a run.
    public func restore(into trainer: Trainer) throws(TrainingError) {
        let spec = trainer.spec
        guard seed == spec.train.seed, batchSize == trainer.data.train.batchSize else {
            throw .checkpoint("the checkpoint was made with seed \(seed) and batch size \(batchSize), but this run has seed \(spec.train.seed) and batch size \(trainer.data.train.batchSize); the batches would differ")
        }
        guard optimizerType == spec.optimizer?.typeName else {
            throw .checkpoint("the checkpoint holds \(optimizerType) state, but the spec's optimizer is \(spec.optimizer?.typeName ?? "none")")
        }
        guard (schedulerLastEpoch == nil) == (trainer.scheduler == nil) else {
            throw .checkpoint("the checkpoint was made \(schedulerLastEpoch == nil ? "without" : "with") a scheduler, but the spec has \(trainer.scheduler == nil ? "none" : "one")")
        }
        guard position.batch < trainer.data.train.batchCount else {
            throw .checkpoint("the checkpoint stopped at batch \(position.batch), but an epoch of this data has \(trainer.data.train.batchCount) batches")
        }
        do {
            try trainer.network.loadState(from: SafetensorsFile(tensors: modelState))
        } catch {
            throw .checkpoint("the checkpoint's weights do not fit \(spec.name): \(error.description)")
        }
        do {
            try trainer.optimizer.loadStateTensors(optimizerState)
        } catch {
            throw .checkpoint("the checkpoint's optimizer state does not fit: \(error.description)")
        }
        let dropouts = dropoutModules(of: trainer.network)
        guard Set(dropouts.map(\.path)) == Set(generatorStates.keys) else {
            throw .checkpoint("the checkpoint has dropout generators for [\(generatorStates.keys.sorted().joined(separator: ", "))], but the network's dropout layers are [\(dropouts.map(\.path).joined(separator: ", "))]")
        }
        for (path, module) in dropouts { module.generator.state = generatorStates[path]! }
        trainer.optimizer.stepCount = optimizerSteps
        trainer.optimizer.learningRate = learningRate
        if let schedulerLastEpoch { trainer.scheduler?.lastEpoch = schedulerLastEpoch }
        trainer.position = position
    }
}

/// Where a run writes checkpoints: into `directory`, every `every` steps (nil: only at the end and
/// when interrupted).
public struct CheckpointPolicy: Sendable {
    public var directory: String
    public var every: Int?

    public init(directory: String, every: Int?) {
        self.directory = directory
        self.every = every
    }
}

/// Every `Dropout` in `module`'s tree with its path (`drop`, `block.2`).
func dropoutModules(of module: Module, prefix: String = "") -> [(path: String, module: Dropout)] {
    module.children.flatMap { child -> [(path: String, module: Dropout)] in
        let path = prefix.isEmpty ? child.name : "\(prefix).\(child.name)"
        if let dropout = child.module as? Dropout { return [(path, dropout)] }
        return dropoutModules(of: child.module, prefix: path)
    }
}

/// Typed reading of a checkpoint's metadata strings, naming the file and key when one is bad.
private struct CheckpointMetadata {
    let values: [String: String]
    let path: String

    init(_ values: [String: String], path: String) {
        self.values = values
        self.path = path
    }

    private func raw(_ key: String) throws(TrainingError) -> String {
        guard let value = values[key] else { throw .checkpoint("\(path): the metadata lacks '\(key)'") }
        return value
    }

    private func bad(_ key: String, _ value: String, _ kind: String) -> TrainingError {
        .checkpoint("\(path): metadata '\(key)' is '\(value)', not \(kind)")
    }

    func text(_ key: String) throws(TrainingError) -> String { try raw(key) }

    func integer(_ key: String) throws(TrainingError) -> Int {
        let value = try signedInteger(key)
        guard value >= 0 else { throw bad(key, "\(value)", "a non-negative integer") }
        return value
    }

    func signedInteger(_ key: String) throws(TrainingError) -> Int {
        let value = try raw(key)
        guard let integer = Int(value) else { throw bad(key, value, "an integer") }
        return integer
    }

    func real(_ key: String) throws(TrainingError) -> Double {
        let value = try raw(key)
        guard let real = Double(value), real.isFinite else { throw bad(key, value, "a finite number") }
        return real
    }

    /// Four unsigned 64-bit words separated by spaces.
    func generatorState(_ key: String) throws(TrainingError) -> (UInt64, UInt64, UInt64, UInt64) {
        let value = try raw(key)
        let words = value.split(separator: " ").compactMap { UInt64($0) }
        guard words.count == 4 else { throw bad(key, value, "four unsigned 64-bit integers") }
        return (words[0], words[1], words[2], words[3])
    }
}
