import Foundation
import NN
import NNTensor

/// Everything a run needs to continue exactly: weights and buffers, optimizer state, the
/// scheduler's epoch and learning rate, the position (epoch, batch, step) and the dropout
/// generators' states, with the settings that fix the batch order (seed, batch size, threads).
///
/// Stored as one safetensors file, `DIR/checkpoint.safetensors`: tensors `model.<state_dict name>`
/// (loadable into PyTorch after dropping the prefix) and `optimizer.<index>.<buffer>` (PyTorch's
/// buffer names), the rest as `__metadata__` strings with a CRC-32 of the tensor bytes. Written
/// through a temporary file and renamed.
public struct Checkpoint {
    public static let fileName = "checkpoint.safetensors"
    /// The metadata key marking a file as an nnspec checkpoint, with the format version.
    static let formatKey = "nnspec_checkpoint"
    static let formatVersion = "2"
    /// What the file's tensor names put before a `modelState` and an `optimizerState` name.
    static let modelPrefix = "model.", optimizerPrefix = "optimizer."

    public var position: TrainingPosition
    /// The network's `state_dict()` entries.
    public var modelState: [NamedTensor]
    public var optimizerState: [NamedTensor]
    public var optimizerType: String
    public var optimizerSteps: Int
    /// The learning rate in use (after the scheduler's steps), as the exact Double.
    public var learningRate: Double
    public var schedulerLastEpoch: Int?
    /// The scheduler's state beyond its epoch (ReduceLROnPlateau's best metric and counters).
    public var schedulerState: [String: Double]
    /// The current epoch's training loss so far: Σ loss·samples and Σ samples (the epoch's mean, and
    /// ReduceLROnPlateau's metric without a test split, are then those of an uninterrupted run).
    public var epochLossSum: Double
    public var epochLossSamples: Int
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
        schedulerState = trainer.scheduler?.checkpointState ?? [:]
        (epochLossSum, epochLossSamples) = (trainer.epochLoss.sum, trainer.epochLoss.weight)
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

    /// Throws unless checkpoints can be written into `directory` (created if absent): a file can be
    /// created there, and `checkpoint.safetensors`, if present, is a regular file that is an nnspec
    /// checkpoint (or `force`). Called before the first step.
    static func checkWritable(directory: String, force: Bool) throws(TrainingError) {
        let path = path(inDirectory: directory)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .checkpoint("cannot create the checkpoint directory \(directory): \(error.localizedDescription)")
        }
        do throws(FileWriteError) {
            try OutputPath.requireReplaceable(path)
            try OutputPath.requireWritableDirectory(directory)
        } catch {
            throw .checkpoint("--checkpoint-dir \(directory): \(error)")
        }
        guard !force, OutputPath.isRegularFile(path) else { return }
        guard (try? SafetensorsReader(path: path))?.metadata[formatKey] != nil else {
            throw .checkpoint("--checkpoint-dir \(directory): \(fileName) exists and is not an nnspec checkpoint; pass --force to replace it")
        }
    }

    /// Writes `DIR/checkpoint.safetensors` atomically (creating DIR), with a checksum of its tensors,
    /// returning its path; an existing checkpoint stays intact when writing fails.
    @discardableResult
    func write(toDirectory directory: String, output: FileOutput = .system) throws(TrainingError) -> String {
        let path = Self.path(inDirectory: directory)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .checkpoint("cannot create the checkpoint directory \(directory): \(error.localizedDescription)")
        }
        var file = SafetensorsFile(
            tensors: modelState.map { NamedTensor(Self.modelPrefix + $0.name, $0.tensor, dtype: $0.dtype) }
                + optimizerState.map { NamedTensor(Self.optimizerPrefix + $0.name, $0.tensor, dtype: $0.dtype) },
            metadata: metadata)
        do {
            let dataSection = try file.encodedDataSection()
            var checksum = TensorChecksum()
            dataSection.withUnsafeBytes { checksum.add($0) }
            file.metadata[Self.checksumKey] = checksum.text
            try AtomicFile.write(try file.encoded(dataSection: dataSection), to: path, output: output)
        } catch let error as FileWriteError {
            throw .checkpoint("cannot write the checkpoint: \(error.description); the previous checkpoint is unchanged")
        } catch {
            throw .checkpoint("cannot encode the checkpoint for \(path): \(error)")
        }
        return path
    }

    /// Reads `DIR/checkpoint.safetensors`, checking its format, metadata and checksum before reading
    /// any tensor, and refusing tensors of more than `maximumElements` elements in all (a resumed run
    /// passes `elementBudget(of:)`, so memory is bounded by its network's size). The error names the
    /// file and what is wrong with it.
    public init(directory: String, maximumElements: Int = .max) throws(TrainingError) {
        let path = Self.path(inDirectory: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw .checkpoint("--resume \(directory): there is no \(Self.fileName) in it")
        }
        let reader: SafetensorsReader
        do {
            reader = try SafetensorsReader(path: path)
        } catch {
            throw .checkpoint("\(path) is not a readable checkpoint: \(error.description)")
        }
        let fields = CheckpointMetadata(reader.metadata, path: path)
        guard reader.metadata[Self.formatKey] == Self.formatVersion else {
            throw .checkpoint("\(path) is not an nnspec checkpoint (version \(Self.formatVersion)): its metadata lacks \(Self.formatKey)")
        }
        position = TrainingPosition(epoch: try fields.integer("epoch"), batch: try fields.integer("batch"), step: try fields.integer("step"))
        optimizerType = try fields.text("optimizer")
        optimizerSteps = try fields.integer("optimizer_steps")
        learningRate = try fields.positiveReal("lr")
        schedulerLastEpoch = reader.metadata["scheduler_last_epoch"] == nil ? nil : try fields.integer("scheduler_last_epoch")
        schedulerState = [:]
        for (key, _) in reader.metadata where key.hasPrefix(Self.schedulerPrefix) {
            schedulerState[String(key.dropFirst(Self.schedulerPrefix.count))] = try fields.real(key)
        }
        // Absent from checkpoints written before they were kept: the epoch's mean then restarts.
        epochLossSum = reader.metadata["epoch_loss_sum"] == nil ? 0 : try fields.real("epoch_loss_sum")
        epochLossSamples = reader.metadata["epoch_loss_samples"] == nil ? 0 : try fields.integer("epoch_loss_samples")
        seed = try fields.signedInteger("seed")
        batchSize = try fields.integer("batch_size")
        threads = try fields.integer("threads")
        generatorStates = [:]
        for (key, _) in reader.metadata where key.hasPrefix(Self.generatorPrefix) {
            generatorStates[String(key.dropFirst(Self.generatorPrefix.count))] = try fields.generatorState(key)
        }
        let elements = reader.entries.reduce(0) { $0 + min($1.shape.elementCount, .max - $0) }
        guard elements <= maximumElements else {
            throw .checkpoint("\(path) holds \(elements) tensor elements, more than the \(maximumElements) this network and optimizer can have; it belongs to another network")
        }
        let expected = try fields.text(Self.checksumKey)
        var checksum = TensorChecksum()
        let tensors: [NamedTensor]
        do {
            try reader.forEachDataChunk { checksum.add($0) }
            tensors = try reader.allTensors()
        } catch {
            throw .checkpoint("\(path) is not a readable checkpoint: \(error.description)")
        }
        guard checksum.text == expected else {
            throw .checkpoint("\(path) is damaged: its tensors' checksum is \(checksum.text), but its metadata records \(expected)")
        }
        /// The tensors named with `prefix`, under their names without it.
        func named(after prefix: String) -> [NamedTensor] {
            tensors.filter { $0.name.hasPrefix(prefix) }.map { NamedTensor(String($0.name.dropFirst(prefix.count)), $0.tensor, dtype: $0.dtype) }
        }
        modelState = named(after: Self.modelPrefix)
        optimizerState = named(after: Self.optimizerPrefix)
    }

    /// The most tensor elements a checkpoint of `trainer`'s run can hold: the network's state plus
    /// three buffers and a step count per parameter (Adam with AMSGrad, centred RMSprop with momentum).
    public static func elementBudget(of trainer: Trainer) -> Int {
        let parameters = trainer.network.parameters()
        let stateElements = trainer.network.stateDictionary().reduce(0) { $0 + $1.variable.value.count }
        return stateElements + 3 * parameters.reduce(0) { $0 + $1.value.count } + parameters.count
    }

    private static let generatorPrefix = "rng."
    private static let schedulerPrefix = "scheduler."
    /// The metadata key of the data section's CRC-32 (`TensorChecksum`).
    static let checksumKey = "tensors_crc32"

    private var metadata: [String: String] {
        var metadata = [
            Self.formatKey: Self.formatVersion,
            "epoch": "\(position.epoch)", "batch": "\(position.batch)", "step": "\(position.step)",
            "optimizer": optimizerType, "optimizer_steps": "\(optimizerSteps)", "lr": "\(learningRate)",
            "seed": "\(seed)", "batch_size": "\(batchSize)", "threads": "\(threads)",
        ]
        if let schedulerLastEpoch { metadata["scheduler_last_epoch"] = "\(schedulerLastEpoch)" }
        for (name, value) in schedulerState { metadata[Self.schedulerPrefix + name] = "\(value)" }
        metadata["epoch_loss_sum"] = "\(epochLossSum)"
        metadata["epoch_loss_samples"] = "\(epochLossSamples)"
        for (path, state) in generatorStates {
            metadata[Self.generatorPrefix + path] = "\(state.0) \(state.1) \(state.2) \(state.3)"
        }
        return metadata
    }

    // MARK: Restoring

    /// Puts this state into `trainer`, which must be built from the same spec with the same seed
    /// and batch size; throws naming the first difference or inconsistency (a position that does
    /// not fit the data, an optimizer step count that is not the step's, missing optimizer state),
    /// leaving the trainer unusable for a run.
    public func restore(into trainer: Trainer) throws(TrainingError) {
        let spec = trainer.spec
        guard seed == spec.train.seed, batchSize == trainer.data.train.batchSize else {
            throw .checkpoint("the checkpoint was made with seed \(seed) and batch size \(batchSize), but this run has seed \(spec.train.seed) and batch size \(trainer.data.train.batchSize); the batches would differ (pass --seed \(seed) --batch-size \(batchSize) to resume it)")
        }
        guard optimizerType == spec.optimizer?.typeName else {
            throw .checkpoint("the checkpoint holds \(optimizerType) state, but the spec's optimizer is \(spec.optimizer?.typeName ?? "none")")
        }
        guard (schedulerLastEpoch == nil) == (trainer.scheduler == nil) else {
            throw .checkpoint("the checkpoint was made \(schedulerLastEpoch == nil ? "without" : "with") a scheduler, but the spec has \(trainer.scheduler == nil ? "none" : "one")")
        }
        try CheckpointConsistency.check(self, batchesPerEpoch: trainer.data.train.batchCount,
                                        stepsPerBatch: trainer.scheduler?.stepsPerBatch ?? false)
        do {
            try trainer.network.loadState(from: SafetensorsFile(tensors: modelState))
        } catch {
            throw .checkpoint("the checkpoint's weights do not fit \(spec.name): \(error.description)")
        }
        do {
            try trainer.optimizer.loadStateTensors(optimizerState, namePrefix: Self.optimizerPrefix)
            if optimizerSteps > 0 { try trainer.optimizer.requireStateForEveryParameter(namePrefix: Self.optimizerPrefix) }
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
        do {
            try trainer.scheduler?.restore(checkpointState: schedulerState)
        } catch {
            throw .checkpoint("the checkpoint's scheduler state does not fit: \(error.description)")
        }
        guard epochLossSum.isFinite || epochLossSamples == 0 else {
            throw .checkpoint("the checkpoint's epoch_loss_sum \(epochLossSum) is not finite")
        }
        trainer.epochLoss = RunningMean(sum: epochLossSum, weight: epochLossSamples)
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

/// Every module in `module`'s tree that draws dropout masks (`MaskDrawing`) with its path (`drop`, `block.2`).
func dropoutModules(of module: Module, prefix: String = "") -> [(path: String, module: any MaskDrawing)] {
    module.children.flatMap { child -> [(path: String, module: any MaskDrawing)] in
        let path = prefix.isEmpty ? child.name : "\(prefix).\(child.name)"
        let own = (child.module as? any MaskDrawing).map { [(path, $0)] } ?? []
        return own + dropoutModules(of: child.module, prefix: path)
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

    /// A finite number above 0 (the validator's range for a learning rate).
    func positiveReal(_ key: String) throws(TrainingError) -> Double {
        let value = try raw(key)
        guard let real = Double(value), real.isFinite, real > 0 else { throw bad(key, value, "a finite number above 0") }
        return real
    }

    /// A number as Swift prints a Double (`inf` and `-inf` included, not `nan`).
    func real(_ key: String) throws(TrainingError) -> Double {
        let value = try raw(key)
        guard let real = Double(value), !real.isNaN else { throw bad(key, value, "a number") }
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
