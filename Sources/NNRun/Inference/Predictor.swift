import NN
import NNCatalogue
import NNSpec
import NNTensor

/// A spec's network with trained weights, in evaluation mode (dropout off, BatchNorm's running
/// statistics), run a batch at a time without recording a graph.
///
/// An input shape seen a second time is planned (`InferencePlan`: buffers allocated once, the same
/// bits as autograd's forward pass); a shape seen once (a text sampler's growing context) runs
/// through autograd without the planning's cost. The plans of the last `keptShapes` shapes are kept.
public final class Predictor {
    public let spec: ValidatedSpec
    public let network: Module
    /// Whether shapes seen twice are planned (`nnspec bench --inference --autograd`: never).
    public let plansShapes: Bool
    /// The recent input shapes, the most recent last, with what runs them.
    private var shapes: [(shape: [Int], execution: Execution)] = []
    private static let keptShapes = 4

    /// How a batch of one input shape runs.
    public enum Execution {
        /// Through autograd; the shape is planned the next time (when shapes are planned).
        case seenOnce
        case planned(InferencePlan)
        /// Through autograd: the network has no plan for this shape (the planner's reason).
        case unplanned(String)

        /// "planned", "autograd (no plan: reason)" or "autograd".
        public var summary: String {
            switch self {
            case .planned: "planned"
            case .unplanned(let reason): "autograd (no plan: \(reason))"
            case .seenOnce: "autograd"
            }
        }
    }

    /// Builds the network and loads `weights` into it strictly, as `train --init` does (the
    /// messages name `--weights` and the path).
    public init(spec: ValidatedSpec, weights: String) throws(TrainingError) {
        self.spec = spec
        plansShapes = true
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
    /// put in evaluation mode; `plansShapes: false` runs every batch through autograd.
    public init(spec: ValidatedSpec, network: Module, plansShapes: Bool = true) {
        self.spec = spec
        self.network = network
        self.plansShapes = plansShapes
        network.eval()
    }

    /// The network's outputs for `inputs` [n] + the input's sample shape: [n] + the output's.
    public func outputs(_ inputs: Tensor) throws(TrainingError) -> Tensor {
        if case .planned(let plan) = recordBatch(of: inputs.shape) {
            do throws(NNError) {
                return try plan.outputs(inputs)
            } catch {
                throw .inference("\(error)")
            }
        }
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

    /// How the last batch of `shape` ran (nil: none did, or long ago, or shapes are not planned).
    public func execution(of shape: [Int]) -> Execution? {
        shapes.last { $0.shape == shape }?.execution
    }

    /// Records a batch of `shape` and returns how it runs: the shape moved to the most recent,
    /// planned on its second use.
    private func recordBatch(of shape: [Int]) -> Execution {
        guard plansShapes else { return .seenOnce }
        var execution = Execution.seenOnce
        if let index = shapes.firstIndex(where: { $0.shape == shape }) {
            execution = shapes.remove(at: index).execution
            if case .seenOnce = execution {
                do throws(TrainingPlanError) {
                    execution = .planned(try InferencePlan(network: network, inputShape: shape))
                } catch {
                    execution = .unplanned(error.description)
                }
            }
        }
        shapes.append((shape, execution))
        if shapes.count > Self.keptShapes { shapes.removeFirst() }
        return execution
    }

    /// The class count when the spec's loss takes class indices and the output is [N, C]; nil otherwise.
    public var classCount: Int? {
        guard spec.loss?.target == .classIndices, spec.output.sampleSizes.count == 1 else { return nil }
        return spec.output.sampleSizes[0]
    }
}
