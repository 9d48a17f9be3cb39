import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of worker threads for kernels that split their work into a few parts (rows of
/// a matrix product, images of a batch).
///
/// `DispatchQueue.concurrentPerform` costs 20–80 µs per call in a small VM (PERF-NOTES); here a
/// call costs about a microsecond: idle workers spin on an atomic job counter for a while, then
/// sleep on a condition variable until the next job. Part `p` of a job always covers the same
/// work whichever thread runs it, so results depend only on the number of parts a kernel chooses.
///
/// One job runs at a time. A call made while a job runs (from inside a part, or from another thread)
/// runs its parts one after another on the calling thread instead of waiting.
public final class WorkerPool: @unchecked Sendable {
    /// The pool the kernels use, with one thread per CPU until `threadCount` is set.
    public static let shared = WorkerPool(threadCount: defaultThreadCount)

    /// The number of CPUs the process may use (at least 1).
    public static var defaultThreadCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Threads that run a job's parts, the caller included: 1 runs everything on the caller.
    /// Setting it (which waits for a running job to end) starts the missing workers; surplus
    /// workers only acknowledge each job.
    public var threadCount: Int {
        get { activeThreads.load(ordering: .acquiring) }
        set {
            acquire()
            startWorkers(upTo: max(1, newValue) - 1)
            activeThreads.store(max(1, newValue), ordering: .releasing)
            isBusy.store(false, ordering: .releasing)
        }
    }

    private let activeThreads = Atomic<Int>(1)
    /// Incremented once per job; a worker runs a job when it sees the counter move.
    private let generation = Atomic<Int>(0)
    /// Workers that have not yet acknowledged the current job (run their part, or seen it is not theirs).
    private let pendingWorkers = Atomic<Int>(0)
    /// Set while a job runs or workers start, so that a nested or concurrent call runs serially.
    private let isBusy = Atomic<Bool>(false)
    /// Workers waiting on `wakeUp` (read by the dispatcher to skip the signal when none sleeps).
    private let sleepingWorkers = Atomic<Int>(0)
    private var lock = pthread_mutex_t()
    private var wakeUp = pthread_cond_t()

    /// Started worker threads; changed only while `isBusy` is held.
    private nonisolated(unsafe) var workerCount = 0
    /// The current job, published to the workers by `generation` and valid until every worker
    /// has acknowledged it.
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private nonisolated(unsafe) var jobParts = 0, jobThreads = 0

    /// How long an idle worker polls for the next job before sleeping (in polls of the counter).
    private static let spinPolls = 200_000

    init(threadCount: Int) {
        pthread_mutex_init(&lock, nil)
        pthread_cond_init(&wakeUp, nil)
        self.threadCount = threadCount
    }

    /// Runs `body(part)` for every part in `0..<parts`, spread over the pool's threads, and returns
    /// when all have finished. Parts beyond the thread count run one after another on some thread.
    public func run(parts: Int, _ body: (Int) -> Void) {
        let threads = min(parts, threadCount)
        guard threads > 1, isBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for part in 0..<parts { body(part) }
            return
        }
        withoutActuallyEscaping(body) { body in
            job = body
            jobParts = parts
            jobThreads = threads
            pendingWorkers.store(workerCount, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepingWorkers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&lock)
                pthread_cond_broadcast(&wakeUp)
                pthread_mutex_unlock(&lock)
            }
            runParts(of: 0)
            var polls = 0
            while pendingWorkers.load(ordering: .acquiring) > 0 {
                polls += 1
                if polls % 1024 == 0 { sched_yield() }
            }
            job = nil
        }
        isBusy.store(false, ordering: .releasing)
    }

    /// Splits `range` into `parts` consecutive pieces, as equal as possible, and runs `body` on each
    /// (`parts` is clamped to the range's length).
    public func forEachBlock(of range: Range<Int>, parts: Int, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(parts, range.count))
        run(parts: parts) { part in
            body((range.lowerBound + range.count * part / parts)..<(range.lowerBound + range.count * (part + 1) / parts))
        }
    }

    /// Runs the parts `thread`, `thread + jobThreads`, … of the current job.
    private func runParts(of thread: Int) {
        guard let job, thread < jobThreads else { return }
        for part in stride(from: thread, to: jobParts, by: jobThreads) { job(part) }
    }

    /// Takes `isBusy`, waiting for a running job to end.
    private func acquire() {
        while !isBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { sched_yield() }
    }

    /// Starts workers until there are `count`; the caller holds `isBusy`.
    private func startWorkers(upTo count: Int) {
        let current = generation.load(ordering: .acquiring)
        while workerCount < count {
            workerCount += 1
            var thread = pthread_t()
            let start = WorkerStart(pool: self, index: workerCount, generation: current)
            let status = pthread_create(&thread, nil, { context in
                let start = Unmanaged<WorkerStart>.fromOpaque(context!).takeRetainedValue()
                start.pool.workerLoop(index: start.index, seen: start.generation)
                return nil
            }, Unmanaged.passRetained(start).toOpaque())
            precondition(status == 0, "cannot start a worker thread (pthread_create returned \(status))")
            pthread_detach(thread)
        }
    }

    /// A worker's life: wait for a job, run its share (if the job includes this worker), acknowledge.
    private func workerLoop(index: Int, seen: Int) {
        var seen = seen
        while true {
            seen = waitForJob(after: seen)
            runParts(of: index)
            pendingWorkers.subtract(1, ordering: .releasing)
        }
    }

    /// Spins until the job counter moves past `seen`, then sleeps; returns the new counter.
    private func waitForJob(after seen: Int) -> Int {
        for _ in 0..<Self.spinPolls {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
        }
        pthread_mutex_lock(&lock)
        sleepingWorkers.add(1, ordering: .sequentiallyConsistent)
        var current = generation.load(ordering: .sequentiallyConsistent)
        while current == seen {
            pthread_cond_wait(&wakeUp, &lock)
            current = generation.load(ordering: .sequentiallyConsistent)
        }
        sleepingWorkers.subtract(1, ordering: .relaxed)
        pthread_mutex_unlock(&lock)
        return current
    }

    /// What a new thread needs to enter `workerLoop`.
    private final class WorkerStart {
        let pool: WorkerPool, index: Int, generation: Int
        init(pool: WorkerPool, index: Int, generation: Int) {
            self.pool = pool; self.index = index; self.generation = generation
        }
    }
}
