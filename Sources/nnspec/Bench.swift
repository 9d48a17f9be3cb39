import ArgumentParser
import NN
import NNCatalogue
import NNRun
import NNSpec
import NNTensor

/// `nnspec bench FILE`: trains the spec's network on random data (CrossEntropyLoss, SGD with
/// momentum 0.9) at several batch sizes and prints the speed of one training step; with
/// `--inference`, the speed of one evaluation-mode forward pass as `nnspec predict` runs it.
///
/// GFLOP/s counts 2 FLOP per multiply-add of the validator's per-sample forward count F:
/// a training step costs 3·F (forward, input gradients, weight gradients) minus the first layer's
/// input gradient, which nothing needs (for LeNet-5: 3 · 416,520 − 117,600 = 1,131,960 per image);
/// a forward pass costs F.
/// The peak is measured by `PeakProbe` with the same number of threads (per CPU-second of each).
struct Bench: ComputingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time training steps (forward, CrossEntropyLoss, backward, SGD momentum) on random data.")

    @Argument(help: "The spec file (its layers and input; its loss, optimizer and data are ignored; '-': standard input).", completion: .spec)
    var file: String

    @Option(help: "Comma-separated batch sizes.")
    var batchSizes = "1,16,64,256"

    @OptionGroup var threadOptions: ThreadOptions

    @Option(help: "Timed repeats per batch size (the median is reported; at least 1).")
    var repeats = 7

    @Option(help: "Untimed steps before timing (0 or more).")
    var warmupSteps = 10

    @Flag(help: "Run training steps (or, with --inference, forward passes) through autograd even when the network has a plan.")
    var autograd = false

    @Flag(help: "Time evaluation-mode forward passes as nnspec predict runs them (random weights), not training steps.")
    var inference = false

    @OptionGroup var colors: ColorOptions

    @OptionGroup var access: FileAccessOptions

    var processSettings: ProcessSettings { ProcessSettings(threads: threads) }

    private var threads: Int { threadOptions.resolved }

    /// The batch sizes of `--batch-sizes`, or nil when one is not a positive integer.
    private var batches: [Int]? {
        let sizes = batchSizes.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.filter { !$0.isWhitespace }) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return sizes.compactMap { $0 }
    }

    /// Each option's range error names that option and exits 64.
    func validate() throws {
        guard batches != nil else { throw ValidationError("--batch-sizes needs comma-separated positive integers, got '\(batchSizes)'") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        guard warmupSteps >= 0 else { throw ValidationError("--warmup-steps must be 0 or more, got \(warmupSteps)") }
    }

    func run() throws {
        let console = colors.console
        let result = SpecValidator.standard.validate(file: file, fileAccess: access.fileAccess)
        guard let spec = result.spec else {
            console.output(DiagnosticTextRenderer(colored: console.colorsOutput).render(result.diagnostics, source: result.source))
            throw ExitCode(1)
        }
        let batches = batches ?? []
        let peak = PeakProbe.gigaflops(threads: threads)
        let flopsPerImage = 2 * Double(inference ? spec.multAdds : Self.trainingMultAdds(spec))
        console.output("nnspec bench \(file): \(threads) thread(s), peak \(formatFixed(peak, decimals: 1)) GFLOP/s (FMA probe, per CPU-second), "
                       + "\(formatFixed(flopsPerImage / 1e6, decimals: 3)) MFLOP per image per \(inference ? "forward pass" : "step")\n")
        let timer = TrainingStepTimer(warmupSteps: warmupSteps, repeats: repeats)
        for batch in batches {
            let (step, description) = try inference ? Self.forwardPass(spec, batch: batch, autograd: autograd) : trainingStep(spec, batch: batch)
            if batch == batches[0] {
                console.output(description + "\n")
                console.output(pad(["batch", "images/s", "ms/step", "GFLOP/s", "% peak", "peak MiB", "cpu ms/step"]) + "\n")
            }
            let (seconds, cpuSeconds) = try timer.medianStepSeconds(step)
            let gigaflops = flopsPerImage * Double(batch) / seconds / 1e9
            console.output(pad([String(batch), formatFixed(Double(batch) / seconds, decimals: 0), formatFixed(seconds * 1e3, decimals: 3),
                                formatFixed(gigaflops, decimals: 1), formatFixed(100 * gigaflops / peak, decimals: 1),
                                formatFixed(peakMemoryMiB(), decimals: 1), formatFixed(cpuSeconds * 1e3, decimals: 3)]) + "\n")
        }
    }

    /// One training step at `batch`, and the line that says how it runs (planned or autograd).
    private func trainingStep(_ spec: ValidatedSpec, batch: Int) throws -> (step: () throws -> Void, description: String) {
        let step = try BenchmarkStep(spec: spec, batch: batch, planned: !autograd)
        let description = "training step: " + (step.plan != nil ? "planned (buffers allocated once, reused every step)"
                                                : "autograd" + (step.planRefusal.map { " (no plan: \($0))" } ?? ""))
        return ({ _ = try step.run() }, description)
    }

    /// One forward pass of a random batch through `Predictor`, the code `nnspec predict` runs
    /// (evaluation mode, no graph recorded, planned unless `autograd`), with the network's seeded
    /// random weights; the two passes that plan the shape are run here.
    private static func forwardPass(_ spec: ValidatedSpec, batch: Int, autograd: Bool) throws -> (step: () throws -> Void, description: String) {
        var generator = RandomGenerator(seed: 0)
        let predictor = Predictor(spec: spec, network: try NetworkBuilder.build(spec, generator: &generator), plansShapes: !autograd)
        let input = BenchmarkStep.randomInput(spec: spec, batch: batch, generator: &generator)
        for _ in 0..<2 { _ = try predictor.outputs(input) }
        let execution = predictor.execution(of: input.shape) ?? .seenOnce
        let buffers = if case .planned = execution { " (buffers allocated once, reused every pass)" } else { "" }
        return ({ _ = try predictor.outputs(input) }, "forward pass: evaluation mode, as nnspec predict runs it, " + execution.summary + buffers)
    }

    /// Multiply-adds of one image's training step: 3 × forward, minus the first layer's input gradient.
    static func trainingMultAdds(_ spec: ValidatedSpec) -> Int {
        3 * spec.multAdds - (spec.layers.first?.multAdds ?? 0)
    }

    private func pad(_ cells: [String]) -> String {
        cells.map { String(repeating: " ", count: max(0, 10 - $0.count)) + $0 }.joined(separator: " ")
    }
}
