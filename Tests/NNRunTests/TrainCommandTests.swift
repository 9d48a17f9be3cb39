import Foundation
import NN
import NNTensor
import Testing
@testable import NNRun

/// `nnspec train` as a user runs it (in process): the tutorial's printed story, and what every
/// kind of bad input gets — a message naming the culprit and exit status 1, never a trap.
@Suite struct TrainCommandTests {
    let lenet = repositoryRoot.appendingPathComponent("examples/lenet.yaml").path

    /// A printed line: exactly this text, or text matching a whole-line pattern (numbers that
    /// depend on the seed or the clock).
    enum Line {
        case exact(String)
        case pattern(String)

        func matches(_ line: String) -> Bool {
            switch self {
            case .exact(let text): line == text
            case .pattern(let pattern): line.wholeMatch(of: try! Regex(pattern)) != nil
            }
        }
    }

    static let number = #"-?\d+\.\d+(e-?\d+)?"#

    /// The torch.nn tutorial's whole story (examples/lenet.yaml: LeNet, one random 1×1×32×32
    /// input, MSELoss against a random target, SGD lr 0.01), as PyTorch prints the tutorial's `Net`
    /// (its forward calls F.relu, F.max_pool2d and torch.flatten, so five children).
    @Test func tutorialPrintsTheWholeStoryInOrder() throws {
        let run = runTrain(lenet) { $0.showGradient = "conv1.bias" }
        #expect(run.status == 0)
        #expect(run.error.isEmpty)
        let value = #" ?-?\d\.\d{4}(e[-+]\d\d)?"#
        let expected: [Line] = [
            .exact("Net("),
            .exact("  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"),
            .exact("  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))"),
            .exact("  (fc1): Linear(in_features=400, out_features=120, bias=True)"),
            .exact("  (fc2): Linear(in_features=120, out_features=84, bias=True)"),
            .exact("  (fc3): Linear(in_features=84, out_features=10, bias=True)"),
            .exact(")"),
            .exact("10 parameter tensors, 61,706 parameters"),
            .exact("conv1.weight : [6, 1, 5, 5]"),
            .exact("conv1.bias : [6]"),
            .exact("conv2.weight : [16, 6, 5, 5]"),
            .exact("conv2.bias : [16]"),
            .exact("fc1.weight : [120, 400]"),
            .exact("fc1.bias : [120]"),
            .exact("fc2.weight : [84, 120]"),
            .exact("fc2.bias : [84]"),
            .exact("fc3.weight : [10, 84]"),
            .exact("fc3.bias : [10]"),
            .exact("output : [1, 10]"),
            .exact("training: 1 step (1 epoch of 1 batch, batch size 1), SGD lr 0.01, seed 0, 1 thread"),
            .exact("conv1.bias.grad before backward"),
            .exact("None"),
            .exact("conv1.bias.grad after backward"),
            .pattern(#"tensor\(\[\#(value)(, \#(value)){5}\]\)"#),
            .pattern(#"step 1/1  epoch 1/1  loss \#(Self.number)  lr 0\.01"#),
            .pattern(#"epoch 1/1: train loss \#(Self.number)"#),
            .pattern(#"final loss \#(Self.number) \(step 1 of 1\)"#),
            .pattern(#"1 image trained in \d+\.\d\d m?s( \([\d,]+ images/s\))?, \d+\.\d\d m?s in all"#),
        ]
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == expected.count + 1 && lines.last == "", "\(run.output)")
        for (line, expectation) in zip(lines, expected) {
            #expect(expectation.matches(line), "line '\(line)' is not \(expectation)")
        }
    }

    /// The gradient printed after backward is conv1.bias's, and the loss printed is the step's.
    @Test func tutorialNumbersAreTheTrainedOnes() throws {
        let spec = try validatedSpec(path: lenet)
        let trainer = try Trainer(spec: spec)
        let recorder = LossRecorder()
        final class GradientCatcher: TrainingObserver {
            var gradient: Tensor?
            func watchedGradient(name: String, afterBackward: Bool, gradient: Tensor?) {
                if afterBackward { self.gradient = gradient }
            }
        }
        let catcher = GradientCatcher()
        try trainer.watchGradient(of: "conv1.bias")
        trainer.observers = [recorder, catcher]
        #expect(try trainer.run() == .finished)
        let run = runTrain(lenet) { $0.showGradient = "conv1.bias" }
        #expect(run.output.contains("final loss \(recorder.losses[0]) (step 1 of 1)"))
        #expect(run.output.contains(TensorText.describe(try #require(catcher.gradient))))
        #expect(try #require(catcher.gradient).shape == [6])
    }

    @Test func tensorTextFollowsPyTorchsFormatter() {
        #expect(TensorText.describe(Tensor(shape: [3], scalars: [0.0081, -0.008, 0.015])) == "tensor([ 0.0081, -0.0080,  0.0150])")
        #expect(TensorText.describe(Tensor(shape: [2], scalars: [1e-5, 0.5])) == "tensor([1.0000e-05, 5.0000e-01])")
        #expect(TensorText.describe(Tensor(shape: [3], scalars: [1, -2, 3])) == "tensor([ 1., -2.,  3.])")
        #expect(TensorText.describe(Tensor(scalar: 0.25)) == "tensor(0.2500)")
        let long = TensorText.describe(Tensor(shape: [12], scalars: (0..<12).map { Float($0) + 0.5 }))
        #expect(long == "tensor([ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,\n         8.5000,  9.5000, 10.5000, 11.5000])")
    }

    @Test func unknownGradientNameListsTheParameters() {
        let run = runTrain(lenet) { $0.showGradient = "conv9.bias" }
        #expect(run.status == 1)
        #expect(run.error.contains("no parameter named 'conv9.bias'"))
        #expect(run.error.contains("conv1.weight, conv1.bias"))
        #expect(run.output.isEmpty)
    }

    @Test func invalidSpecGetsTheValidatorsDiagnosticsBeforeAnythingIsBuilt() throws {
        let scratch = try ScratchDirectory()
        let text = try String(contentsOfFile: lenet, encoding: .utf8).replacingOccurrences(of: "in_features: 16*5*5", with: "in_features: 300")
        let run = runTrain(try scratch.write(text, to: "bad.yaml"))
        #expect(run.status == 1)
        #expect(run.error.contains("bad.yaml:"))
        #expect(run.error.contains("error: fc1 expects in_features 300 but receives 400"))
        #expect(run.output.isEmpty)
    }

    @Test func modelBeyondMemoryIsRefusedNamingTheEstimateAndTheDominantLayer() {
        let run = runTrain(lenet, memoryLimit: 400_000)
        #expect(run.status == 1)
        #expect(run.error.contains("needs an estimated"))
        #expect(run.error.contains("more than the 390.63 KiB of memory"))
        #expect(run.error.contains("fc1 (Linear) needs the most"))
        #expect(run.error.contains("weight [120, 400]"))
        #expect(run.output.isEmpty)
    }

    @Test func memoryEstimateCountsWeightsGradientsOptimizerStateAndActivations() throws {
        let estimate = MemoryEstimate(spec: try validatedSpec(path: lenet))
        #expect(estimate.parameterBytes == 61_706 * 4)
        #expect(estimate.gradientBytes == 61_706 * 4)
        #expect(estimate.optimizerBytes == 0)
        // Every layer's output for a batch of 1, with its gradient.
        let outputs = 6 * 28 * 28 * 2 + 6 * 14 * 14 + 16 * 10 * 10 * 2 + 400 * 2 + 120 * 2 + 84 * 2 + 10
        #expect(estimate.activationBytes == Double(outputs * 4 * 2))
    }

    @Test func truncatedDataFileIsNamedWithItsOffset() throws {
        let scratch = try ScratchDirectory()
        // An IDX header promising 4 images of 8×8 bytes, followed by only 100 of the 256 bytes.
        var images = Data([0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0, 8])
        images.append(Data(repeating: 3, count: 100))
        try images.write(to: scratch.url.appendingPathComponent("images-idx3-ubyte"))
        try Data([0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 3, 4]).write(to: scratch.url.appendingPathComponent("labels-idx1-ubyte"))
        let spec = try scratch.write("""
            nnspec: 1
            input: [N, 64]
            layers:
              - {name: fc, type: Linear, in_features: 64, out_features: 10}
            loss: CrossEntropyLoss
            optimizer: SGD
            data:
              batch_size: 2
              train: {source: idx, images: images-idx3-ubyte, labels: labels-idx1-ubyte}
            """, to: "truncated.yaml")
        let run = runTrain(spec)
        #expect(run.status == 1)
        #expect(run.error.contains("images-idx3-ubyte"))
        #expect(run.error.contains("byte"))
        #expect(!run.output.contains("final loss"))
    }

    @Test func missingDataFileIsNamed() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write("""
            nnspec: 1
            input: [N, 64]
            layers:
              - {name: fc, type: Linear, in_features: 64, out_features: 10}
            loss: CrossEntropyLoss
            optimizer: SGD
            data:
              train: {source: idx, images: gone-images-idx3-ubyte, labels: gone-labels-idx1-ubyte}
            """, to: "missing.yaml")
        let run = runTrain(spec)
        #expect(run.status == 1)
        #expect(run.error.contains("gone-images-idx3-ubyte"))
        #expect(run.output.isEmpty)
    }

    @Test func divergingLossStopsNamingTheStepAndTheFirstNonFiniteLayer() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write("""
            nnspec: 1
            input: [N, 12]
            layers:
              - {name: fc1, type: Linear, in_features: 12, out_features: 16}
              - ReLU
              - {name: fc2, type: Linear, in_features: 16, out_features: 3}
            loss: CrossEntropyLoss
            optimizer: {type: SGD, lr: 1.0e+30}
            data:
              batch_size: 4
              train: {source: random, samples: 16, classes: 3}
            train: {epochs: 3}
            """, to: "diverge.yaml")
        let checkpoints = scratch.path("checkpoints")
        let run = runTrain(spec) {
            $0.checkpointDirectory = checkpoints
            $0.checkpointEvery = 1
        }
        #expect(run.status == 1)
        // After one step at lr 1e30, fc1's weights are ~1e29: its outputs stay finite, fc2's overflow.
        #expect(run.error.contains("the loss became NaN at step 2 (epoch 1)"))
        #expect(run.error.contains("the first non-finite layer output is fc2 (Linear): 12 infinite values among 12"))
        // The checkpoint of step 1 is the last one, intact.
        let checkpoint = try Checkpoint(directory: checkpoints)
        #expect(checkpoint.position.step == 1)
        #expect(checkpoint.modelState.count == 4)
    }

    @Test func nonFiniteProbeNamesTheFirstLayerAndTheInput() throws {
        let spec = try validatedSpec(path: lenet)
        let trainer = try Trainer(spec: spec)
        let fc2 = try trainer.network.state(named: "fc2.weight")
        fc2.value.scalars[5] = .infinity
        let input = Tensor(repeating: 0.5, shape: [1, 1, 32, 32])
        let layer = try #require(NonFiniteProbe.firstNonFiniteLayer(of: trainer.network, layers: spec.layers, steps: spec.steps, input: input))
        #expect(layer.name == "fc2" && layer.typeName == "Linear")
        #expect(layer.elementCount == 84)
        var bad = input
        bad.scalars[3] = .nan
        #expect(NonFiniteProbe.firstNonFiniteLayer(of: trainer.network, layers: spec.layers, steps: spec.steps, input: bad)?.name == "input")
    }

    @Test func badOptionsAreRefusedByName() {
        #expect(runTrain(lenet) { $0.epochs = 0 }.error.contains("--epochs must be at least 1, got 0"))
        #expect(runTrain(lenet) { $0.learningRate = -1 }.error.contains("--lr must be a positive number"))
        #expect(runTrain(lenet) { $0.checkpointEvery = 5 }.error.contains("--checkpoint-every needs --checkpoint-dir"))
        #expect(runTrain(lenet) { $0.resumeDirectory = "/nonexistent" }.error.contains("there is no checkpoint.safetensors"))
    }

    @Test func initLoadsPyTorchWeightsStrictly() throws {
        let scratch = try ScratchDirectory()
        let parityInit = repositoryRoot.appendingPathComponent("specs/parity/mlp-init.safetensors").path
        let run = runTrain(lenet) { $0.initialWeights = parityInit }
        #expect(run.status == 1)
        #expect(run.error.contains("--init \(parityInit)"))
        #expect(run.error.contains("conv1.weight"))
        let garbage = try scratch.write("not a safetensors file", to: "garbage.safetensors")
        #expect(runTrain(lenet) { $0.initialWeights = garbage }.status == 1)
    }

    @Test func saveOverwritesOnlyItsOwnFilesUnlessForced() throws {
        let scratch = try ScratchDirectory()
        let weights = scratch.path("weights.safetensors")
        #expect(runTrain(lenet) { $0.saveWeights = weights; $0.quiet = true }.status == 0)
        let saved = try SafetensorsFile(contentsOf: URL(fileURLWithPath: weights))
        #expect(saved.names.first == "conv1.weight" && saved.tensors.count == 10)
        // nnspec's own file is replaced; someone else's is not, unless forced.
        #expect(runTrain(lenet) { $0.saveWeights = weights; $0.quiet = true }.status == 0)
        let foreign = try scratch.write("precious", to: "mine.safetensors")
        let refused = runTrain(lenet) { $0.saveWeights = foreign; $0.quiet = true }
        #expect(refused.status == 1)
        #expect(refused.error.contains("was not written by nnspec; pass --force"))
        #expect(try String(contentsOfFile: foreign, encoding: .utf8) == "precious")
        #expect(runTrain(lenet) { $0.saveWeights = foreign; $0.force = true; $0.quiet = true }.status == 0)
        #expect(try SafetensorsFile(contentsOf: URL(fileURLWithPath: foreign)).tensors.count == 10)
    }

    /// On a terminal: one line redrawn with \r (epoch, bar, step/total, loss, rates), erased before
    /// each epoch's summary, which stays.
    @Test func terminalGetsALiveBarAndEpochSummaries() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write(smallClassifierSpec, to: "small.yaml")
        let captured = CapturedConsole()
        let status = TrainingSession.run(file: spec, options: TrainingOptions(), console: captured.console(isTerminal: true))
        #expect(status == 0)
        let output = captured.output
        #expect(output.contains("\repoch 1/3 [██"))
        #expect(output.contains("] 8/24  loss "))
        #expect(output.contains("\r\u{1B}[Kepoch 1/3: train loss "))
        #expect(output.contains("\r\u{1B}[Kepoch 3/3: train loss "))
        #expect(!output.contains("step 1/24  epoch"), "no plain progress lines on a terminal")
        let summaries = output.split(separator: "\n").filter { $0.contains(": train loss ") }
        #expect(summaries.count == 3)
    }

    @Test func logHasARowPerStepAndTestMetricsPerEpoch() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write(smallClassifierSpec, to: "small.yaml")
        let log = scratch.path("log.csv")
        let run = runTrain(spec) { $0.logFile = log; $0.quiet = true }
        #expect(run.status == 0)
        let rows = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows.first == "step,epoch,loss,lr,test_loss,test_accuracy,train_loss,wall_time")
        let stepRows = rows.dropFirst().filter { $0.hasSuffix(",,") }
        #expect(stepRows.count == 24)
        #expect(stepRows.first?.hasPrefix("1,1,") == true && stepRows.first?.contains(",0.01,") == true)
        // StepLR(step_size 1, gamma 0.5): epoch 3 trains at 0.0025.
        #expect(stepRows.last?.hasPrefix("24,3,") == true && stepRows.last?.contains(",0.0025,") == true)
        let epochRows = rows.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false)[2].isEmpty }
        #expect(epochRows.count == 3)
        #expect(epochRows.map { $0.split(separator: ",").first } == ["8", "16", "24"])
        #expect(run.output.contains("test loss"))
        #expect(run.output.contains("accuracy"))
        // A file that is not a log is not replaced.
        let notes = try scratch.write("my notes", to: "notes.csv")
        #expect(runTrain(spec) { $0.logFile = notes }.error.contains("not an nnspec training log"))
    }
}
