import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of worker threads for kernels that split their work into a few parts (rows of
/// a matrix product, images of a batch).
///
/// `DispatchQueue.concurrentPerform` costs 20–80 µs per call in a small VM (measured on this project's 2-core machine); here a
/// call costs about a microsecond: idle workers spin on an atomic job word for a while, then
/// sleep on a condition variable until the next job. The caller and the workers claim parts from
/// the job word one at a time, so a worker the system has not scheduled yet leaves its parts to
/// the others instead of holding the job up. Part `p` of a job always covers the same work
/// whichever thread runs it, so results depend only on the number of parts a kernel chooses.
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
    /// workers stay idle.
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
    /// The job word: generation (bits 40–63, one more per job), part count (bits 20–39) and the next
    /// unclaimed part (bits 0–19). Claiming a part is one compare-and-swap on it.
    private let jobWord = Atomic<UInt64>(0)
    /// Parts of the current job not finished yet.
    private let unfinishedParts = Atomic<Int>(0)
    /// Set while a job runs or workers start, so that a nested or concurrent call runs serially.
    private let isBusy = Atomic<Bool>(false)
    /// Workers waiting on `wakeUp` (read by the dispatcher to skip the signal when none sleeps).
    private let sleepingWorkers = Atomic<Int>(0)
    private var lock = pthread_mutex_t()
    private var wakeUp = pthread_cond_t()

    /// Started worker threads; changed only while `isBusy` is held.
    private nonisolated(unsafe) var workerCount = 0
    /// The current job (a `Job` on the dispatching thread's stack) and its type, published by
    /// `jobWord`; valid while one of its parts is unfinished, hence whenever a thread has just
    /// claimed one. A pointer and a metatype, so that handing a job over allocates nothing.
    private nonisolated(unsafe) var jobAddress: UnsafeRawPointer?
    private nonisolated(unsafe) var jobType: (any ParallelJob.Type)?

    /// Parts a job may have (the job word's field width); larger jobs run serially.
    private static let maximumParts = 1 << 20

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

    /// Runs `body(context, part)` for every part in `0..<parts`, spread over the pool's threads, and
    /// returns when all have finished. Parts beyond the thread count run one after another on some
    /// thread.
    ///
    /// `body` should capture nothing and take what it needs from `context` (pointers, sizes): a
    /// closure with captures costs a heap allocation per call, and a training step makes none.
    public func run<Context>(parts: Int, context: Context, _ body: @escaping (Context, _ part: Int) -> Void) {
        run(parts: parts, PartsJob(context: context, body: body))
    }

    /// Runs `body` on the calling thread with every job it starts run there too, part after part (a
    /// job started while the pool is busy runs serially): for work too small to pay for handing parts
    /// between threads, whose data would then be written on one core and read on another.
    public func runSerially<Result>(_ body: () -> Result) -> Result {
        guard isBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return body() }
        defer { isBusy.store(false, ordering: .releasing) }
        return body()
    }

    /// Runs two independent loops as one job: the parts of `first` (`body(context, part)` for part in
    /// `0..<firstParts`), then those of `second`, claimed in that order by whichever thread is free,
    /// so that the end of one loop overlaps the other instead of ending a job of its own in a wait.
    /// Put the loop with the larger parts first. The bodies should capture nothing, as in
    /// `run(parts:context:_:)`.
    public func run<First, Second>(parts firstParts: Int, context firstContext: First,
                                   _ first: @escaping (First, _ part: Int) -> Void,
                                   thenParts secondParts: Int, context secondContext: Second,
                                   _ second: @escaping (Second, _ part: Int) -> Void) {
        run(parts: firstParts + secondParts,
            TwoLoopsJob(first: PartsJob(context: firstContext, body: first), firstParts: firstParts,
                        second: PartsJob(context: secondContext, body: second)))
    }

    /// Piece `part` of `range` split into `parts` (0 < parts ≤ its length) consecutive pieces of
    /// decreasing size, as `forEachBlock` splits it: one element each plus the other elements shared
    /// in proportion to parts − part (64 elements in 8 parts: 14, 12, 10, 9, 7, 6, 4, 2).
    public static func decreasingPiece(_ part: Int, of parts: Int, in range: Range<Int>) -> Range<Int> {
        // Where a piece starts from the start of the range: the earlier pieces' elements (their
        // shares rounded up, so that rounding favours the first pieces).
        func start(_ part: Int) -> Int {
            let shared = range.count - parts, weightBefore = part * parts - part * (part - 1) / 2, weight = parts * (parts + 1) / 2
            return part + (shared * weightBefore + weight - 1) / weight
        }
        return (range.lowerBound + start(part))..<(range.lowerBound + start(part + 1))
    }

    /// Splits `range` into `parts` consecutive pieces of decreasing size and runs
    /// `body(context, part, piece)` on each (`parts` is clamped to the range's length). The pieces
    /// depend only on the range and `parts`. Decreasing, because the threads claim the pieces in
    /// order: the last ones, small, even out when the threads finish (with equal pieces, one thread
    /// waited on average half a piece at the end of each loop). `body` should capture nothing, as in
    /// `run(parts:context:_:)`.
    public func forEachBlock<Context>(of range: Range<Int>, parts: Int, context: Context,
                                      _ body: @escaping (Context, _ part: Int, _ block: Range<Int>) -> Void) {
        let parts = max(1, min(parts, range.count))
        run(parts: parts, BlocksJob(context: context, body: body, range: range, parts: parts))
    }

    /// Parts for a loop over `count` independent items (images, planes) whose per-part results are
    /// combined afterwards: a fixed count, not the thread count, so that the combination adds the
    /// same partial results in the same order on any number of threads (up to `fixedParts`).
    public func fixedParts(for count: Int) -> Int { max(1, min(count, max(Self.fixedParts, threadCount))) }

    /// Parts for a loop over `count` items whose results do not depend on the split (planes,
    /// channels, tiles, pairs): four per thread, so that `forEachBlock`'s decreasing pieces, claimed
    /// as threads come free, even out (two pieces on two threads split 2 : 1); one on one thread.
    public func balancedParts(for count: Int) -> Int { threadCount == 1 ? 1 : max(1, min(count, 4 * threadCount)) }

    /// `balancedParts(for: count)` for a loop over `count` items of `elements` values in all, from
    /// `parallelElements` on; one part below, where waking the pool costs more than it saves.
    public func balancedParts(for count: Int, elements: Int) -> Int { elements >= Self.parallelElements ? balancedParts(for: count) : 1 }

    /// See `balancedParts(for:elements:)`: about 10 µs of one core for a loop of a few operations per value.
    public static let parallelElements = 16384

    /// Runs `body(context, chunk)` over consecutive chunks of `0..<count` (multiples of 64 elements),
    /// one per thread when there are at least `minimumChunk` elements per thread, else over the whole
    /// range: for elementwise kernels, whose results do not depend on the split. `body` should
    /// capture nothing, as in `run(parts:context:_:)`.
    public func forEachChunk<Context>(of count: Int, minimumChunk: Int = 32768, context: Context,
                                      _ body: @escaping (Context, _ chunk: Range<Int>) -> Void) {
        let parts = min(threadCount, count / minimumChunk)
        guard parts > 1 else { return body(context, 0..<count) }
        run(parts: parts, ChunksJob(context: context, body: body, count: count, parts: parts))
    }

    /// Runs `job.run(part:)` for every part in `0..<parts` on the pool's threads. The job is a value
    /// on this thread's stack, handed over by address and type: nothing is allocated.
    private func run<Job: ParallelJob>(parts: Int, _ job: Job) {
        guard min(parts, threadCount) > 1, parts < Self.maximumParts,
              isBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for part in 0..<parts { job.run(part: part) }
            return
        }
        withUnsafePointer(to: job) { job in
            jobAddress = UnsafeRawPointer(job)
            jobType = Job.self
            unfinishedParts.store(parts, ordering: .relaxed)
            let generation = (Self.generation(of: jobWord.load(ordering: .relaxed)) &+ 1) & 0xFFFFFF
            jobWord.store(generation << 40 | UInt64(parts) << 20, ordering: .sequentiallyConsistent)
            if sleepingWorkers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&lock)
                pthread_cond_broadcast(&wakeUp)
                pthread_mutex_unlock(&lock)
            }
            runClaimedParts(generation: generation)
            var polls = 0
            while unfinishedParts.load(ordering: .acquiring) > 0 { Self.pause(&polls) }
            jobAddress = nil
            jobType = nil
        }
        isBusy.store(false, ordering: .releasing)
    }

    /// See `fixedParts(for:)`.
    public static let fixedParts = 8

    /// The generation field of a job word (24 bits).
    private static func generation(of word: UInt64) -> UInt64 { word >> 40 }

    /// Claims and runs parts of job `generation` until none is left (or a later job has started).
    private func runClaimedParts(generation: UInt64) {
        var word = jobWord.load(ordering: .acquiring)
        while Self.generation(of: word) == generation {
            let next = Int(word & 0xFFFFF), parts = Int(word >> 20 & 0xFFFFF)
            guard next < parts else { return }
            let (claimed, current) = jobWord.compareExchange(expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            if claimed {
                jobType!.runPart(next, of: jobAddress!)
                unfinishedParts.subtract(1, ordering: .releasing)
                word = jobWord.load(ordering: .acquiring)
            } else {
                word = current
            }
        }
    }

    /// Takes `isBusy`, waiting for a running job to end.
    private func acquire() {
        while !isBusy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { sched_yield() }
    }

    /// Starts workers until there are `count`; the caller holds `isBusy`.
    private func startWorkers(upTo count: Int) {
        let current = Self.generation(of: jobWord.load(ordering: .acquiring))
        while workerCount < count {
            workerCount += 1
            var thread = pthread_t()
            let start = WorkerStart(pool: self, index: workerCount, seen: current)
            let status = pthread_create(&thread, nil, { context in
                let start = Unmanaged<WorkerStart>.fromOpaque(context!).takeRetainedValue()
                start.pool.workerLoop(index: start.index, seen: start.seen)
                return nil
            }, Unmanaged.passRetained(start).toOpaque())
            precondition(status == 0, "cannot start a worker thread (pthread_create returned \(status))")
            pthread_detach(thread)
        }
    }

    /// A worker's life: wait for a job, claim and run its parts (unless the pool was shrunk below
    /// this worker), wait for the next.
    private func workerLoop(index: Int, seen: UInt64) {
        var seen = seen
        while true {
            seen = waitForJob(after: seen)
            if index < activeThreads.load(ordering: .relaxed) { runClaimedParts(generation: seen) }
        }
    }

    /// Spins until a job later than generation `seen` is published, then sleeps; returns its generation.
    private func waitForJob(after seen: UInt64) -> UInt64 {
        var polls = 0
        while polls < Self.spinPolls {
            let current = Self.generation(of: jobWord.load(ordering: .acquiring))
            if current != seen { return current }
            Self.pause(&polls)
        }
        pthread_mutex_lock(&lock)
        sleepingWorkers.add(1, ordering: .sequentiallyConsistent)
        var current = Self.generation(of: jobWord.load(ordering: .sequentiallyConsistent))
        while current == seen {
            pthread_cond_wait(&wakeUp, &lock)
            current = Self.generation(of: jobWord.load(ordering: .sequentiallyConsistent))
        }
        sleepingWorkers.subtract(1, ordering: .relaxed)
        pthread_mutex_unlock(&lock)
        return current
    }

    /// What a new thread needs to enter `workerLoop`.
    private final class WorkerStart {
        let pool: WorkerPool, index: Int, seen: UInt64
        init(pool: WorkerPool, index: Int, seen: UInt64) {
            self.pool = pool; self.index = index; self.seen = seen
        }
    }
}

/// The parts of one `WorkerPool` job. Generic code builds no closures around a job (a closure in
/// unspecialised generic code captures type metadata, which costs a heap allocation).
private protocol ParallelJob {
    func run(part: Int)
}

extension ParallelJob {
    /// Runs part `part` of the job of this type stored at `job`: how a worker that knows the job only
    /// by its type and address calls it.
    static func runPart(_ part: Int, of job: UnsafeRawPointer) {
        job.assumingMemoryBound(to: Self.self).pointee.run(part: part)
    }
}

/// `run(parts:context:_:)`'s job.
private struct PartsJob<Context>: ParallelJob {
    let context: Context
    let body: (Context, Int) -> Void
    func run(part: Int) { body(context, part) }
}

/// `forEachBlock`'s job: part p covers the p-th of `parts` decreasing pieces of `range`
/// (`WorkerPool.decreasingPiece`).
private struct BlocksJob<Context>: ParallelJob {
    let context: Context
    let body: (Context, Int, Range<Int>) -> Void
    let range: Range<Int>, parts: Int
    func run(part: Int) { body(context, part, WorkerPool.decreasingPiece(part, of: parts, in: range)) }
}

/// Two loops as one job (`run(parts:context:_:thenParts:context:_:)`): parts `0..<firstParts` are
/// the first loop's, the rest the second's.
private struct TwoLoopsJob<First, Second>: ParallelJob {
    let first: PartsJob<First>, firstParts: Int
    let second: PartsJob<Second>
    func run(part: Int) {
        if part < firstParts { first.run(part: part) } else { second.run(part: part - firstParts) }
    }
}

/// `forEachChunk`'s job: part p covers the p-th chunk of `0..<count`, in multiples of 64.
private struct ChunksJob<Context>: ParallelJob {
    let context: Context
    let body: (Context, Range<Int>) -> Void
    let count: Int, parts: Int
    func run(part: Int) { body(context, blockRange(part: part, of: parts, in: 0..<count, multiple: 64)) }
}
