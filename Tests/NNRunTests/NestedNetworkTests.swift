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

    /// After a non-finite loss the probe replays the module tree and names the first layer, by its
    /// dotted path, whose output is not finite.
    @Test func theNonFiniteProbeNamesANestedLayer() throws {
        let spec = try validatedSpec(path: Self.paritySpec)
        let trainer = try Trainer(spec: spec)
        try trainer.network.state(named: "block.0.weight").value.scalars[3] = .infinity
        let input = Tensor(repeating: 0.5, shape: [2, 1, 8, 8])
        let layer = try #require(NonFiniteProbe.firstNonFiniteLayer(of: trainer.network, layers: spec.layers, steps: spec.steps, input: input))
        #expect(layer.name == "block.0" && layer.typeName == "Conv2d")
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

    /// A block with a residual sum and a Dropout inside a nested Sequential, stopped after step 5
    /// and resumed from its checkpoint: the uninterrupted run's losses, bit for bit; the dropout's
    /// generator is saved under its dotted path.
    @Test func aNestedNetworkResumesFromItsCheckpoint() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.write("""
            nnspec: 1
            input: [N, 6]
            blocks:
              Residual:
                arguments: {features: int}
                layers:
                  - {name: fc, type: Linear, in_features: features, out_features: features}
                  - {name: act, type: Tanh}
                  - {call: torch.add, from: [act, input]}
            layers:
              - {name: body, block: Residual, features: 6}
              - name: head
                type: Sequential
                layers:
                  - {name: drop, type: Dropout, p: 0.3}
                  - {type: Linear, in_features: 6, out_features: 3}
            loss: CrossEntropyLoss
            optimizer: {type: Adam, lr: 0.01}
            data:
              batch_size: 4
              shuffle: true
              train: {source: random, samples: 16, classes: 3}
            train: {epochs: 3, seed: 2}
            """, to: "nested.yaml")
        func run(_ trainer: Trainer, stopAfter step: Int? = nil) throws -> [Float] {
            let recorder = LossRecorder(), interruption = InterruptFlag()
            recorder.interruptAfterStep = step
            recorder.interruption = interruption
            trainer.observers = [recorder]
            trainer.interruption = interruption
            _ = try trainer.run()
            return recorder.losses
        }
        let expected = try run(try Trainer(spec: try validatedSpec(path: path)))
        #expect(expected.count == 12)
        let first = try Trainer(spec: try validatedSpec(path: path))
        first.checkpoints = CheckpointPolicy(directory: scratch.path("run"), every: nil)
        let before = try run(first, stopAfter: 5)
        let checkpoint = try Checkpoint(directory: scratch.path("run"))
        #expect(checkpoint.generatorStates.keys.sorted() == ["head.drop"])
        let second = try Trainer(spec: try validatedSpec(path: path))
        try checkpoint.restore(into: second)
        let after = try run(second)
        #expect((before + after).map(\.bitPattern) == expected.map(\.bitPattern))
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
