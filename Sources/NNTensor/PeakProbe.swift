#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's measured floating-point ceiling, for reporting kernels as a fraction of it.
///
/// Each thread runs twelve independent chains of SIMD16 fused multiply-adds: enough chains to hide
/// the FMA latency on every x86-64 and arm64 core, so the rate is the FMA throughput. Each thread's
/// rate is measured against its own CPU time, so that other processes sharing the cores do not
/// lower the figure; the peak is the sum over threads.
public enum PeakProbe {
    /// Sustained GFLOP/s (an FMA counting as 2 FLOP) of `threads` threads of the shared pool,
    /// the best of `trials` runs of `iterations` chain steps per thread.
    public static func gigaflops(threads: Int, iterations: Int = 2_000_000, trials: Int = 3) -> Double {
        let pool = WorkerPool.shared
        let savedThreads = pool.threadCount
        pool.threadCount = threads
        defer { pool.threadCount = savedThreads }
        var rates = [Double](repeating: 0, count: threads)
        rates.withUnsafeMutableBufferPointer { rates in
            for _ in 0..<trials {
                pool.run(parts: threads, context: (rates, iterations)) { context, part in
                    let (rates, iterations) = context
                    let start = threadCPUSeconds()
                    let sink = fmaChains(iterations: iterations)
                    let seconds = threadCPUSeconds() - start
                    let rate = Double(iterations * 12 * 16 * 2) / seconds / 1e9
                    rates[part] = max(rates[part], sink.isNaN ? 0 : rate)
                }
            }
        }
        return rates.reduce(0, +)
    }

    /// CPU time consumed by the calling thread.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Twelve dependent chains c += x · y of `iterations` steps; returns a value depending on all.
    @inline(never) static func fmaChains(iterations: Int) -> Float {
        let x = SIMD16<Float>(repeating: 1e-3), y = SIMD16<Float>(repeating: 1e-4)
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(repeating: 1), c2 = SIMD16<Float>(repeating: 2)
        var c3 = SIMD16<Float>(repeating: 3), c4 = SIMD16<Float>(repeating: 4), c5 = SIMD16<Float>(repeating: 5)
        var c6 = SIMD16<Float>(repeating: 6), c7 = SIMD16<Float>(repeating: 7), c8 = SIMD16<Float>(repeating: 8)
        var c9 = SIMD16<Float>(repeating: 9), c10 = SIMD16<Float>(repeating: 10), c11 = SIMD16<Float>(repeating: 11)
        for _ in 0..<iterations {
            c0.addProduct(x, y); c1.addProduct(x, y); c2.addProduct(x, y); c3.addProduct(x, y)
            c4.addProduct(x, y); c5.addProduct(x, y); c6.addProduct(x, y); c7.addProduct(x, y)
            c8.addProduct(x, y); c9.addProduct(x, y); c10.addProduct(x, y); c11.addProduct(x, y)
        }
        let total = (c0 + c1 + c2 + c3) + (c4 + c5 + c6 + c7) + (c8 + c9 + c10 + c11)
        return total.sum()
    }
}
