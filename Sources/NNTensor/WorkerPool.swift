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

    /// How long an idle worker polls for the next job before sleeping: about a millisecond.
    private static let spinPolls = 32_768

    /// One poll of a spin-wait. Every 64th yields the core: on an idle machine that returns at once,
    /// on a loaded one it lets the thread being waited for (or another process) run instead of
    /// burning the waiter's time slice.
    @inline(__always) private static func pause(_ polls: inout Int) {
        polls += 1
        if polls & 63 == 0 { sched_yield() }
    }

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
            while pendingWorkers.load(ordering: .acquiring) > 0 { Self.pause(&polls) }
            job = nil
        }
        isBusy.store(false, ordering: .releasing)
    }

    /// Splits `range` into `parts` consecutive pieces, as equal as possible, and runs
    /// `body(part, piece)` on each (`parts` is clamped to the range's length).
    public func forEachBlock(of range: Range<Int>, parts: Int, _ body: (_ part: Int, _ block: Range<Int>) -> Void) {
        let parts = max(1, min(parts, range.count))
        run(parts: parts) { part in
            body(part, (range.lowerBound + range.count * part / parts)..<(range.lowerBound + range.count * (part + 1) / parts))
        }
    }

    /// Parts for a loop over `count` independent items (images, planes) whose per-part results are
    /// combined afterwards: a fixed count, not the thread count, so that the combination adds the
    /// same partial results in the same order on any number of threads (up to `fixedParts`).
    public func fixedParts(for count: Int) -> Int { max(1, min(count, max(Self.fixedParts, threadCount))) }

    /// Runs `body` over consecutive chunks of `0..<count` (multiples of 64 elements), one per thread
    /// when there are at least `minimumChunk` elements per thread, else over the whole range: for
    /// elementwise kernels, whose results do not depend on the split.
    public func forEachChunk(of count: Int, minimumChunk: Int = 32768, _ body: (Range<Int>) -> Void) {
        let parts = min(threadCount, count / minimumChunk)
        guard parts > 1 else { return body(0..<count) }
        run(parts: parts) { part in body(blockRange(part: part, of: parts, in: 0..<count, multiple: 64)) }
    }

    /// See `fixedParts(for:)`.
    public static let fixedParts = 8

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
        var polls = 0
        while polls < Self.spinPolls {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            Self.pause(&polls)
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
