import NN
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// The trainer steps through a `TrainingPlan` when the network and loss have one; every observable
/// result (losses, weights, optimizer state, evaluations, non-finite reports) is the autograd one.
@Suite struct TrainerPlanTests {
    /// A CNN with batch normalisation, dropout and a smaller last batch (50 samples in batches of 16), class weights,
    /// label smoothing and SGD with momentum, evaluated on test data each epoch.
    private let cnnSpec = """
        nnspec: 1
        input: [N, 2, 6, 6]
        layers:
          - {name: conv1, type: Conv2d, in_channels: 2, out_channels: 4, kernel_size: 3, padding: 1}
          - {name: bn1, type: BatchNorm2d, num_features: 4}
          - Tanh
          - {type: AvgPool2d, kernel_size: 2}
          - Flatten
          - {name: fc1, type: Linear, in_features: 36, out_features: 12}
          - ReLU
          - {name: drop, type: Dropout, p: 0.25}
          - {name: fc2, type: Linear, in_features: 12, out_features: 3}
        loss: {type: CrossEntropyLoss, weight: [1.0, 2.0, 0.5], label_smoothing: 0.1}
        optimizer: {type: SGD, lr: 0.05, momentum: 0.9}
        data:
          batch_size: 16
          shuffle: true
          train: {source: random, samples: 50, classes: 3}
          test: {source: random, samples: 20, seed: 1, classes: 3}
        train: {epochs: 3, seed: 5}
        """

    /// A causal pre-norm transformer language model with dropout 0.2 (the residual blocks', the
    /// feed-forward block's and the attention weights'), shuffled text and AdamW.
    private let transformerSpec = """
        nnspec: 1
        input: [N, 12]
        layers:
          - {name: tok, type: Embedding, num_embeddings: 27, embedding_dim: 16}
          - {name: pos, type: LearnedPositionalEmbedding, max_len: 12, embedding_dim: 16}
          - {name: block, type: TransformerEncoderLayer, d_model: 16, nhead: 2, dim_feedforward: 32, dropout: 0.2, activation: gelu,
             batch_first: true, norm_first: true, causal: true}
          - {name: ln_f, type: LayerNorm, normalized_shape: [16]}
          - {name: head, type: Linear, in_features: 16, out_features: 27}
          - {call: torch.transpose, dim0: 1, dim1: 2}
        loss: CrossEntropyLoss
        optimizer: {type: AdamW, lr: 0.003, weight_decay: 0.01}
        data:
          batch_size: 16
          shuffle: true
          train: {source: text, path: specs/parity/data/names-160.txt}
        train: {epochs: 2, seed: 4}
        """

    /// Trains `spec` with and without plans; expects the same losses, weights, optimizer state and
    /// last evaluation, bit for bit.
    private func expectPlannedTrainingMatchesAutograd(_ spec: ValidatedSpec) throws {
        func train(planned: Bool) throws -> (Trainer, LossRecorder) {
            let trainer = try Trainer(spec: spec)
            trainer.usesTrainingPlans = planned
            let recorder = LossRecorder()
            trainer.observers = [recorder]
            #expect(try trainer.run() == .finished)
            return (trainer, recorder)
        }
        let (planned, plannedLosses) = try train(planned: true)
        let (autograd, autogradLosses) = try train(planned: false)
        #expect(!plannedLosses.losses.isEmpty)
        #expect(plannedLosses.losses == autogradLosses.losses)
        #expect(plannedLosses.epochs.map(\.trainLoss) == autogradLosses.epochs.map(\.trainLoss))
        #expect(plannedLosses.epochs.map(\.test) == autogradLosses.epochs.map(\.test))
        #expect(planned.lastEvaluation == autograd.lastEvaluation)
        for (expected, actual) in zip(autograd.network.stateDictionary(), planned.network.stateDictionary()) {
            #expect(actual.variable.value == expected.variable.value, "\(expected.name)")
        }
        let expectedState = autograd.optimizer.stateTensors(), actualState = planned.optimizer.stateTensors()
        #expect(actualState.map(\.name) == expectedState.map(\.name))
        #expect(actualState.map(\.tensor) == expectedState.map(\.tensor))
    }

    @Test func cnnWithASmallerLastBatchTrainsAsThroughAutograd() throws {
        try expectPlannedTrainingMatchesAutograd(try validatedSpec(cnnSpec))
    }

    @Test func nestedChainWithFunctionalStepsTrainsAsThroughAutograd() throws {
        try expectPlannedTrainingMatchesAutograd(try validatedSpec(NestedNetworkTests.chainSpec))
    }

    @Test func lenetParitySpecTrainsAsThroughAutograd() throws {
        try expectPlannedTrainingMatchesAutograd(try validatedSpec(path: repositoryRoot.appendingPathComponent("specs/parity/lenet.yaml").path))
    }

    /// examples/resnet.yaml: residual blocks (Add of a branch and its input or a 1×1 projection),
    /// AdaptiveAvgPool2d, AdamW; every step through the plan.
    @Test func residualExampleTrainsAsThroughAutograd() throws {
        try expectPlannedTrainingMatchesAutograd(try validatedSpec(path: repositoryRoot.appendingPathComponent("examples/resnet.yaml").path))
    }

    /// examples/regression.yaml: MSELoss on value targets, through the plan (a smaller last batch included).
    @Test func mseRegressionExampleTrainsAsThroughAutograd() throws {
        try expectPlannedTrainingMatchesAutograd(try validatedSpec(path: repositoryRoot.appendingPathComponent("examples/regression.yaml").path))
    }

    /// The 1-D layers (Conv1d strided, padded, grouped and dilated; BatchNorm1d; MaxPool1d with
    /// dilation and ceil mode; AvgPool1d; AdaptiveAvgPool1d) run planned as the 2-D kernels over
    /// height-1 images, as their forward passes do.
    @Test(arguments: ["specs/valid/signal-1d.yaml", "specs/parity/m5-signals.yaml", "examples/sunspots.yaml"])
    func signalNetworkTrainsAsThroughAutograd(path: String) throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent(path).path)
        #expect(try BenchmarkStep(spec: spec, batch: 2).planRefusal == nil)
        try expectPlannedTrainingMatchesAutograd(spec)
    }

    @Test func transformerWithDropoutTrainsAsThroughAutograd() throws {
        let spec = try validatedSpec(transformerSpec)
        #expect(try BenchmarkStep(spec: spec, batch: 2).planRefusal == nil)
        try expectPlannedTrainingMatchesAutograd(spec)
    }

    /// The transformer parity specs: a causal pre-norm layer under a language-model head, one
    /// before a classifier, and a TransformerEncoder of post-norm layers with its norm.
    @Test(arguments: ["specs/parity/char-transformer-lm.yaml", "specs/parity/transformer-classifier.yaml",
                      "specs/parity/transformer-encoder-stack.yaml"])
    func transformerParitySpecTrainsAsThroughAutograd(path: String) throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent(path).path)
        #expect(try BenchmarkStep(spec: spec, batch: 2).planRefusal == nil)
        try expectPlannedTrainingMatchesAutograd(spec)
    }

    /// Every example network has a training plan for the step `nnspec bench` times (at batch 2).
    @Test(arguments: ["alexnet", "digits", "iris", "lenet", "lenet-auto", "mlp", "mnist", "mobilenet_v2", "names-lstm",
                      "names-transformer", "regression", "resnet", "resnet18", "sunspots", "vgg"])
    func exampleNetworkIsPlanned(name: String) throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("examples/\(name).yaml").path)
        let step = try BenchmarkStep(spec: spec, batch: 2)
        #expect(step.plan != nil && step.planRefusal == nil, "\(name): \(step.planRefusal ?? "")")
    }

    /// Stopped mid-epoch and resumed in a new trainer from its checkpoint (the plans made anew):
    /// the losses and final weights of the uninterrupted run, bit for bit.
    @Test func resumedPlannedRunGivesTheUninterruptedRun() throws {
        let spec = try validatedSpec(cnnSpec), scratch = try ScratchDirectory()
        let whole = try Trainer(spec: spec)
        let wholeLosses = LossRecorder()
        whole.observers = [wholeLosses]
        #expect(try whole.run() == .finished)

        let first = try Trainer(spec: spec)
        let interruption = InterruptFlag()
        let head = LossRecorder()
        head.interruptAfterStep = 6
        head.interruption = interruption
        first.observers = [head]
        first.interruption = interruption
        first.checkpoints = CheckpointPolicy(directory: scratch.path("run"), every: nil)
        #expect(try first.run() == .interrupted)
        let second = try Trainer(spec: spec)
        try Checkpoint(directory: scratch.path("run")).restore(into: second)
        let tail = LossRecorder()
        second.observers = [tail]
        #expect(try second.run() == .finished)
        #expect((head.losses + tail.losses).map(\.bitPattern) == wholeLosses.losses.map(\.bitPattern))
        for (expected, actual) in zip(whole.network.stateDictionary(), second.network.stateDictionary()) {
            #expect(actual.variable.value == expected.variable.value, "\(expected.name)")
        }
    }

    /// A loss that overflows stops the planned step before its backward pass, naming the first
    /// layer whose output is not finite, with its counts under the failing step's dropout mask
    /// (found by replaying the batch through autograd).
    @Test func nonFiniteLossNamesTheLayerAsThroughAutograd() throws {
        func failure(planned: Bool) throws -> TrainingError? {
            let trainer = try Trainer(spec: try validatedSpec(cnnSpec))
            trainer.usesTrainingPlans = planned
            try trainer.network.state(named: "fc2.weight").value.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 3e38) }
            let before = try trainer.network.state(named: "fc1.weight").value
            do {
                _ = try trainer.run()
                return nil
            } catch {
                #expect(try trainer.network.state(named: "fc1.weight").value == before, "no update after a non-finite loss")
                return error
            }
        }
        let planned = try failure(planned: true)
        guard case .nonFinite(step: 1, epoch: 0, loss: _, layer: let layer) = planned else {
            Issue.record("expected a non-finite loss at step 1, got \(String(describing: planned))")
            return
        }
        #expect(layer?.name == "fc2")
        #expect(planned?.description == (try failure(planned: false))?.description)
    }
}
