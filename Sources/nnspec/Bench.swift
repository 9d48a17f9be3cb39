import ArgumentParser
import NN
import NNRun
import NNSpec
import NNTensor

/// `nnspec bench FILE`: trains the spec's network on random data (CrossEntropyLoss, SGD with
/// momentum 0.9) at several batch sizes and prints the speed of one training step.
///
/// GFLOP/s counts 2 FLOP per multiply-add of the validator's per-sample forward count F:
/// a training step costs 3·F (forward, input gradients, weight gradients) minus the first layer's
/// input gradient, which nothing needs (for LeNet-5: 3 · 416,520 − 117,600 = 1,131,960 per image).
/// The peak is measured by `PeakProbe` with the same number of threads (per CPU-second of each).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time training steps (forward, CrossEntropyLoss, backward, SGD momentum) on random data.")

    @Argument(help: "The spec file (its layers and input; its loss, optimizer and data are ignored).")
    var file: String

    @Option(help: "Comma-separated batch sizes.")
    var batchSizes = "1,16,64,256"

    @Option(help: "Threads of the kernels' worker pool.")
    var threads = 2

    @Option(help: "Timed repeats per batch size (the median is reported; at least 1).")
    var repeats = 7

    @Option(help: "Untimed steps before timing.")
    var warmupSteps = 10

    @Flag(help: "Train through autograd even when the network has a training plan.")
    var autograd = false

    @OptionGroup var access: FileAccessOptions

    func validate() throws {
        if let problem = TrainingOptions.threadCountProblem(threads) { throw ValidationError(problem) }
    }

    func run() throws {
        let result = SpecValidator.validate(file: file, fileAccess: access.fileAccess)
        guard let spec = result.spec else {
            write(DiagnosticTextRenderer(colored: false).render(result.diagnostics, source: result.source))
            throw ExitCode(1)
        }
        let batches = batchSizes.split(separator: ",").compactMap { Int($0.filter { !$0.isWhitespace }) }
        guard !batches.isEmpty, batches.allSatisfy({ $0 > 0 }), repeats > 0 else {
            throw ValidationError("--batch-sizes needs positive integers (got '\(batchSizes)'), --repeats a positive count")
        }
        HeapTuning.keepFreedMemoryForReuse()
        let peak = PeakProbe.gigaflops(threads: threads)
        WorkerPool.shared.threadCount = threads
        let flopsPerImage = 2 * Double(Self.trainingMultAdds(spec))
        write("nnspec bench \(file): \(threads) thread(s), peak \(format(peak, 1)) GFLOP/s (FMA probe, per CPU-second), "
              + "\(format(flopsPerImage / 1e6, 3)) MFLOP per image per step\n")
        let timer = TrainingStepTimer(warmupSteps: warmupSteps, repeats: repeats)
        for batch in batches {
            let step = try BenchmarkStep(spec: spec, batch: batch, planned: !autograd)
            if batch == batches[0] {
                write("training step: " + (step.plan != nil ? "planned (buffers allocated once, reused every step)"
                                           : "autograd" + (step.planRefusal.map { " (no plan: \($0))" } ?? "")) + "\n")
                write(pad(["batch", "images/s", "ms/step", "GFLOP/s", "% peak", "peak MiB", "cpu ms/step"]) + "\n")
            }
            let (seconds, cpuSeconds) = try timer.medianStepSeconds { _ = try step.run() }
            let gigaflops = flopsPerImage * Double(batch) / seconds / 1e9
            write(pad([String(batch), format(Double(batch) / seconds, 0), format(seconds * 1e3, 3),
                       format(gigaflops, 1), format(100 * gigaflops / peak, 1), format(peakMemoryMiB(), 1), format(cpuSeconds * 1e3, 3)]) + "\n")
        }
    }

    /// Multiply-adds of one image's training step: 3 × forward, minus the first layer's input gradient.
    static func trainingMultAdds(_ spec: ValidatedSpec) -> Int {
        3 * spec.multAdds - (spec.layers.first?.multAdds ?? 0)
    }

    private func pad(_ cells: [String]) -> String {
        cells.map { String(repeating: " ", count: max(0, 10 - $0.count)) + $0 }.joined(separator: " ")
    }
}

/// `value` with `decimals` digits after the point (the CLI avoids Foundation's `String(format:)`).
func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((abs(value) * scale).rounded())
    let whole = String(scaled / Int(scale)), fraction = String(scaled % Int(scale))
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard decimals > 0 else { return sign + whole }
    return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
