#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The timing protocol of `nnspec bench`, shared with bench/step_timer.py:
/// `warmupSteps` untimed steps (at least `repeatSeconds` of them); then the number of steps that
/// fills about `repeatSeconds` is timed `repeats` times, and the median time per step is reported.
/// The process's CPU time per step is measured alongside: on a loaded machine it shows how much of
/// the wall time the step really computed.
public struct TrainingStepTimer {
    public var warmupSteps: Int
    /// Timed repeats (at least 1).
    public var repeats: Int
    /// Seconds each timed repeat (and at least the warm-up) lasts.
    public var repeatSeconds: Double

    public init(warmupSteps: Int = 10, repeats: Int = 7, repeatSeconds: Double = 0.2) {
        self.warmupSteps = warmupSteps
        self.repeats = repeats
        self.repeatSeconds = repeatSeconds
    }

    /// Median seconds per call of `step`: wall time and the process's CPU time (all threads).
    public func medianStepSeconds(_ step: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        var warmupStart = now(), warmupCount = 0
        while warmupCount < warmupSteps || now() - warmupStart < repeatSeconds {
            if warmupCount == warmupSteps / 2 { warmupStart = now() }
            try step()
            warmupCount += 1
        }
        let calibrated = (now() - warmupStart) / Double(warmupCount - warmupSteps / 2)
        let steps = max(1, Int((repeatSeconds / calibrated).rounded(.up)))
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<repeats {
            let start = now(), cpuStart = now(CLOCK_PROCESS_CPUTIME_ID)
            for _ in 0..<steps { try step() }
            wall.append((now() - start) / Double(steps))
            cpu.append((now(CLOCK_PROCESS_CPUTIME_ID) - cpuStart) / Double(steps))
        }
        return (wall.sorted()[repeats / 2], cpu.sorted()[repeats / 2])
    }

    private func now(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
