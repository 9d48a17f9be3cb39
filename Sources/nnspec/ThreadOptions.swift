import ArgumentParser
import Foundation
import NNRun
import NNTensor

/// `--threads N` of the computing subcommands, and its defaults: the flag wins, then the
/// environment variable `NNSPEC_THREADS`, then one thread per online CPU (at most 256).
/// Results are bit-identical for any count: kernels split work into parts fixed by the data.
struct ThreadOptions: ParsableArguments {
    static let environmentVariable = "NNSPEC_THREADS"

    @Option(help: ArgumentHelp(
        "Threads of the kernels' worker pool (default: $\(ThreadOptions.environmentVariable) if set, else one per CPU; the flag wins). Results are bit-identical for any count.",
        valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads {
            if let problem = TrainingOptions.threadCountProblem(threads) { throw ValidationError(problem) }
        } else {
            _ = try environmentThreads()
        }
    }

    /// The count to use: `--threads`, else `NNSPEC_THREADS`, else the CPUs (clamped to the accepted range).
    var resolved: Int {
        if let threads { return threads }
        if let fromEnvironment = try? environmentThreads() { return fromEnvironment }
        return min(WorkerPool.defaultThreadCount, TrainingOptions.threadCountRange.upperBound)
    }

    /// `NNSPEC_THREADS` as a count; nil when unset or empty, a usage error when it is not a count in range.
    private func environmentThreads() throws -> Int? {
        guard let text = ProcessInfo.processInfo.environment[Self.environmentVariable], !text.isEmpty else { return nil }
        guard let count = Int(text), TrainingOptions.threadCountRange.contains(count) else {
            let range = TrainingOptions.threadCountRange
            throw ValidationError("\(Self.environmentVariable) must be \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return count
    }
}
