import ArgumentParser
import NNTensor

/// Process-wide state a computing subcommand needs: the kernels' thread count and the heap's reuse
/// of freed memory. `NNSpecCommand.main` applies it once, after parsing and before `run()`.
struct ProcessSettings {
    /// Threads of the kernels' worker pool.
    var threads: Int

    func apply() {
        WorkerPool.shared.threadCount = threads
        HeapTuning.keepFreedMemoryForReuse()
    }
}

/// A subcommand that trains or times kernels, and so needs `ProcessSettings` applied before it runs.
protocol ComputingCommand: ParsableCommand {
    var processSettings: ProcessSettings { get }
}
