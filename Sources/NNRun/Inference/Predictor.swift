import NN
import NNCatalogue
import NNSpec
import NNTensor

/// A spec's network with trained weights, in evaluation mode (dropout off, BatchNorm's running
/// statistics), run a batch at a time without recording a graph.
public final class Predictor {
    public let spec: ValidatedSpec
    public let network: Module

    /// Builds the network and loads `weights` into it strictly, as `train --init` does (the
    /// messages name `--weights` and the path).
    public init(spec: ValidatedSpec, weights: String) throws(TrainingError) {
        self.spec = spec
        var generator = RandomGenerator(seed: UInt64(bitPattern: Int64(spec.train.seed)))
        do throws(BuildError) {
            network = try NetworkBuilder.build(spec, generator: &generator)
        } catch {
            throw .build(error)
        }
        try WeightsFile.load(weights, into: network, option: "--weights")
        network.eval()
    }

    /// A network built and loaded already (`nnspec bench --inference` times one of random weights),
    /// put in evaluation mode.
    public init(spec: ValidatedSpec, network: Module) {
        self.spec = spec
        self.network = network
        network.eval()
    }

    /// The network's outputs for `inputs` [n] + the input's sample shape: [n] + the output's.
    public func outputs(_ inputs: Tensor) throws(TrainingError) -> Tensor {
        let result: Result<Tensor, NNError> = noGrad {
            do throws(NNError) {
                return .success(try network(Variable(inputs)).value)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let outputs): return outputs
        case .failure(let error): throw .inference("\(error)")
        }
    }

    /// The class count when the spec's loss takes class indices and the output is [N, C]; nil otherwise.
    public var classCount: Int? {
        guard spec.loss?.target == .classIndices, spec.output.sampleSizes.count == 1 else { return nil }
        return spec.output.sampleSizes[0]
    }
}
