import Foundation
import FuzzSupport
import NN
import NNCatalogue
import NNRun
import NNSpec

/// Reads the input as `DIR/checkpoint.safetensors` (see `safetensorsBytes(from:)` for the mode byte)
/// and restores it into a new trainer of `Fuzz/checkpoint-network.yaml`. A restore that succeeds
/// must have put everything in: the trainer's own checkpoint then holds what was read.
func fuzzCheckpoint(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let directory = ScratchDirectory.path
    _ = ScratchDirectory.write(safetensorsBytes(from: FuzzInput(data, count)), named: Checkpoint.fileName)
    guard let read = try? Checkpoint(directory: directory) else { return 0 }
    let trainer: Trainer
    do {
        trainer = try Trainer(spec: checkpointNetwork)
    } catch {
        fatalError("cannot build \(checkpointNetworkPath): \(error)")
    }
    guard (try? read.restore(into: trainer)) != nil else { return 0 }
    let restored = Checkpoint(of: trainer)
    invariant(restored.position == read.position, "position \(read.position) restored as \(restored.position)")
    invariant(restored.optimizerSteps == read.optimizerSteps, "optimizer steps \(read.optimizerSteps) restored as \(restored.optimizerSteps)")
    invariant(restored.learningRate == read.learningRate, "lr \(read.learningRate) restored as \(restored.learningRate)")
    invariant(restored.schedulerLastEpoch == read.schedulerLastEpoch, "scheduler epoch \(String(describing: read.schedulerLastEpoch)) restored as \(String(describing: restored.schedulerLastEpoch))")
    invariant(restored.generatorStates.mapValues { [$0.0, $0.1, $0.2, $0.3] } == read.generatorStates.mapValues { [$0.0, $0.1, $0.2, $0.3] },
              "dropout generators not restored")
    invariant(tensorsByName(restored.modelState) == tensorsByName(read.modelState), "weights not restored")
    invariant(tensorsByName(restored.optimizerState) == tensorsByName(read.optimizerState), "optimizer state not restored")
    return 0
}

private let checkpointNetworkPath = "\(repositoryRoot)/Fuzz/checkpoint-network.yaml"

private let checkpointNetwork: ValidatedSpec = {
    let result = SpecValidator.standard.validate(file: checkpointNetworkPath)
    guard let spec = result.spec else { fatalError("\(checkpointNetworkPath) is not valid: \(result.diagnostics)") }
    return spec
}()

/// A tensor's shape and bit patterns, every NaN alike: a restored NaN is restored, and −0 differs from 0.
private struct TensorBits: Equatable {
    let shape: [Int]
    let bits: [UInt32]

    init(_ named: NamedTensor) {
        shape = named.tensor.shape
        bits = named.tensor.scalars.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern }
    }
}

private func tensorsByName(_ tensors: [NamedTensor]) -> [String: TensorBits] {
    Dictionary(tensors.map { ($0.name, TensorBits($0)) }, uniquingKeysWith: { first, _ in first })
}
