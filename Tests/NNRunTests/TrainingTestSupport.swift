import Foundation
import NNCatalogue
import NNSpec
import NNTensor
@testable import NNRun

/// A console whose output and error text the test reads afterwards.
final class CapturedConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var outputText = ""
    private var errorText = ""

    var output: String { lock.withLock { outputText } }
    var error: String { lock.withLock { errorText } }

    func console(isTerminal: Bool = false) -> Console {
        Console(isTerminal: isTerminal,
                output: { text in self.lock.withLock { self.outputText += text } },
                error: { text in self.lock.withLock { self.errorText += text } })
    }
}

/// Runs `nnspec train` in process; returns the exit status and the captured text.
func runTrain(_ file: String, _ configure: (inout TrainingOptions) -> Void = { _ in },
              memoryLimit: Int = MemoryEstimate.physicalMemory) -> (status: Int32, output: String, error: String) {
    var options = TrainingOptions()
    configure(&options)
    let captured = CapturedConsole()
    let status = TrainingSession.run(file: file, options: options, console: captured.console(), memoryLimit: memoryLimit)
    return (status, captured.output, captured.error)
}

/// Collects the loss of every step, and can raise an interruption after a chosen step.
final class LossRecorder: TrainingObserver {
    private(set) var losses: [Float] = []
    private(set) var epochs: [EpochRecord] = []
    var interruptAfterStep: Int?
    var interruption: InterruptFlag?

    func stepFinished(_ record: StepRecord) {
        losses.append(record.loss)
        if record.step == interruptAfterStep { interruption?.raise() }
    }

    func epochFinished(_ record: EpochRecord) { epochs.append(record) }
}

/// The validated spec in `path`; throws listing the diagnostics when it is invalid.
func validatedSpec(path: String) throws -> ValidatedSpec {
    let result = SpecValidator.standard.validate(file: path)
    guard let spec = result.spec else {
        throw SpecInvalid(diagnostics: result.diagnostics.map { "\($0)" }.joined(separator: "\n"))
    }
    return spec
}

/// One Linear layer [N, 3] → [N, 3] with MSELoss, trained by `optimizer` (and `scheduler`), both
/// written in spec syntax (`Adam`, `{type: SGD, momentum: 0.9}`).
func linearSpec(optimizer: String, scheduler: String? = nil) throws -> ValidatedSpec {
    let train = scheduler.map { "train: {scheduler: \($0)}\n" } ?? ""
    return try validatedSpec("""
        nnspec: 1
        input: [N, 3]
        layers:
          - {type: Linear, in_features: 3, out_features: 3}
        loss: MSELoss
        optimizer: \(optimizer)
        \(train)
        """)
}

struct SpecInvalid: Error, CustomStringConvertible {
    let diagnostics: String
    var description: String { diagnostics }
}

/// A small fast network for loop tests: dropout (its generator must be restored), Adam (state),
/// StepLR (per-epoch state), shuffled random data with a test split; 8 steps an epoch.
let smallClassifierSpec = """
    nnspec: 1
    name: Small
    input: [N, 12]
    layers:
      - {name: fc1, type: Linear, in_features: 12, out_features: 16}
      - ReLU
      - {name: drop, type: Dropout, p: 0.25}
      - {name: fc2, type: Linear, in_features: 16, out_features: 3}
    loss: CrossEntropyLoss
    optimizer: {type: Adam, lr: 0.01}
    data:
      batch_size: 8
      shuffle: true
      train: {source: random, samples: 60, classes: 3}
      test: {source: random, samples: 20, seed: 7, classes: 3}
    train:
      epochs: 3
      seed: 5
      scheduler: {type: StepLR, step_size: 1, gamma: 0.5}

    """


/// A new scratch directory holding `smallClassifierSpec` as `small.yaml`, and that file's path.
func scratchWithSmallSpec() throws -> (ScratchDirectory, String) {
    let scratch = try ScratchDirectory()
    return (scratch, try scratch.write(smallClassifierSpec, to: "small.yaml"))
}
