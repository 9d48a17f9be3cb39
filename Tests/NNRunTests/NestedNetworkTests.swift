import Foundation
import NN
import NNCatalogue
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// Networks with nested containers, functional steps and a module applied twice: PyTorch's
/// weights load under their dotted names, the output is PyTorch's, and a plain chain is planned.
@Suite struct NestedNetworkTests {
    static let paritySpec = repositoryRoot.appendingPathComponent("specs/parity/nested-functional.yaml").path

    /// specs/parity/nested-functional.yaml with PyTorch's initial weights (loaded strictly: every
    /// dotted name, nothing more), in eval mode, on 4 images: tools/make_nested_parity.py's output.
    @Test func pytorchWeightsLoadByDottedNameAndGivePyTorchsOutput() throws {
        let spec = try validatedSpec(path: Self.paritySpec)
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        let weights = repositoryRoot.appendingPathComponent("specs/parity/nested-functional-init.safetensors")
        try network.loadState(from: try SafetensorsFile(contentsOf: weights))
        #expect(network.stateDictionary().map(\.name).contains("block.1.running_var"))
        let reference = try SafetensorsFile(
            contentsOf: repositoryRoot.appendingPathComponent("Tests/NNRunTests/Fixtures/nested-functional-eval.safetensors"))
        let input = try #require(reference.tensors.first { $0.name == "input" }).tensor
        let expected = try #require(reference.tensors.first { $0.name == "output" }).tensor
        network.eval()
        let output = try noGrad { try network(Variable(input)) }.value
        #expect(output.shape == expected.shape)
        let largestDifference = zip(output.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
        #expect(largestDifference < 1e-5)
    }

    /// A residual sum makes the network a graph, which autograd trains (no plan).
    @Test func aResidualNetworkIsNotPlanned() throws {
        let spec = try validatedSpec(path: Self.paritySpec)
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        #expect(network is Graph)
        #expect(throws: TrainingPlanError.self) {
            try TrainingPlan(network: network, loss: CrossEntropyLoss(), inputShape: [2, 1, 8, 8])
        }
    }

    /// A chain of nested Sequentials and functional steps unrolls into a plan (Conv2d, ReLU and
    /// MaxPool2d fused as in a flat network).
    @Test func aChainWithNestedSequentialsAndFunctionalStepsIsPlanned() throws {
        let spec = try validatedSpec(NestedNetworkTests.chainSpec)
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        #expect(network.children.map(\.name) == ["features", "classifier"])
        let plan = try TrainingPlan(network: network, loss: CrossEntropyLoss(), inputShape: [2, 1, 8, 8])
        #expect(plan.outputShape == [2, 3])
    }

    /// `features` (Conv2d, ReLU, MaxPool2d), torch.flatten, `classifier` (Linear, F.relu applied in
    /// the network, Linear): nine steps, two registered children.
    static let chainSpec = """
        nnspec: 1
        input: [N, 1, 8, 8]
        layers:
          - name: features
            type: Sequential
            layers:
              - {type: Conv2d, in_channels: 1, out_channels: 4, kernel_size: 3, padding: 1}
              - ReLU
              - {type: MaxPool2d, kernel_size: 2}
          - {call: torch.flatten, start_dim: 1}
          - {call: F.relu}
          - name: classifier
            type: Sequential
            layers:
              - {type: Linear, in_features: 64, out_features: 8}
              - Tanh
              - {type: Linear, in_features: 8, out_features: 3}
        loss: CrossEntropyLoss
        optimizer: {type: SGD, lr: 0.1, momentum: 0.9}
        data:
          batch_size: 6
          train: {source: random, samples: 20, classes: 3}
        train: {epochs: 2, seed: 3}
        """
}
