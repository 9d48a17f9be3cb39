import NN
import NNSpec
import NNTensor

/// `--weights` of `nnspec export`: the spec's network with the file's tensors loaded strictly (every
/// name present, none unexpected, every shape equal), so weights of another network are refused.
enum ExportWeights {
    static func network(of spec: ValidatedSpec, loading path: String) throws(ExportError) -> Module {
        var generator = RandomGenerator(seed: UInt64(bitPattern: Int64(spec.train.seed)))
        do {
            let network = try NetworkBuilder.build(spec, generator: &generator)
            try network.loadState(from: SafetensorsReader(path: path))
            return network
        } catch {
            throw ExportError(file: path, "--weights: \(error)")
        }
    }
}
