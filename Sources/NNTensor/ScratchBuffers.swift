import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reusable working memory for kernels that need a temporary buffer (a convolution's column
/// matrix, per-thread partial sums), so that a steady-state training step does not allocate it.
/// Buffers are kept on a shared free list; concurrent callers get different buffers.
///
/// Which thread runs which part, and so how many buffers are in use at once, varies from step to
/// step: on a loaded machine the caller may run every part alone for many steps before a worker
/// first joins in. So the list holds `nestingDepth` buffers per pool thread from the first call on,
/// and each buffer given back grows the free ones to the largest request so far (up to
/// `largestSpare` bytes): a part that first runs concurrently late finds a buffer that fits.
public enum ScratchBuffers {
    /// Runs `body` with a 64-byte aligned buffer of at least `count` floats that no other caller
    /// uses meanwhile; its contents are left over from earlier use.
    public static func withBuffer<Result>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> Result) rethrows -> Result {
        try withBuffer(of: Float.self, count: count, body)
    }

    /// Runs `body` with room for `count` elements of a trivial type (offset tables, for instance: a
    /// `withUnsafeTemporaryAllocation` of more than 1 KiB goes to the heap), bound to that type for
    /// the call; its contents are left over from earlier use.
    public static func withBuffer<Element: BitwiseCopyable, Result>(of _: Element.Type, count: Int,
                                                                  _ body: (UnsafeMutablePointer<Element>) throws -> Result) rethrows -> Result {
        let byteCount = count * MemoryLayout<Element>.stride, buffers = nestingDepth * WorkerPool.shared.threadCount
        let buffer = freeList.withLock { $0.take(fitting: byteCount, keepingAtLeast: buffers) }
        defer { freeList.withLock { $0.giveBack(buffer) } }
        return try body(buffer.memory!.bindMemory(to: Element.self, capacity: count))
    }

    /// Buffers one thread may hold at once: a batch loop's partial sums, a part's working memory,
    /// and an offset table inside it.
    static let nestingDepth = 3

    /// The largest size in bytes that free buffers are grown to ahead of need: a larger request (an
    /// im2col matrix of a large image, say) is served when it comes rather than multiplied by the spares.
    static let largestSpare = 16 << 20

    /// One allocation: its memory (nil until first used), size, and the thread that gave it back last.
    private struct Buffer: @unchecked Sendable {
        var memory: UnsafeMutableRawPointer?
        var byteCount = 0
        var lastThread: pthread_t?

        /// Whether this buffer serves a request of `byteCount` bytes from `thread` better than `other`:
        /// one that fits, the smallest that fits (else the largest), then one that `thread` used last
        /// (its contents may still be in that core's caches), then this one if it was given back later.
        func serves(_ byteCount: Int, from thread: pthread_t, betterThan other: Buffer) -> Bool {
            let fits = self.byteCount >= byteCount, otherFits = other.byteCount >= byteCount
            guard fits == otherFits else { return fits }
            guard self.byteCount == other.byteCount else { return fits == (self.byteCount < other.byteCount) }
            let isThreads = lastThread.map { pthread_equal($0, thread) != 0 } ?? false
            let otherIsThreads = other.lastThread.map { pthread_equal($0, thread) != 0 } ?? false
            return isThreads || !otherIsThreads
        }

        /// Replaces the memory with `byteCount` bytes (the contents are not kept).
        mutating func grow(to byteCount: Int) {
            memory?.deallocate()
            memory = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
            self.byteCount = byteCount
        }
    }

    /// The free buffers, how many exist in all, and the largest request so far in bytes.
    private struct FreeList {
        /// Room for more buffers than the threads ever hold at once, so that returning one never grows it.
        var buffers = [Buffer]().reserving(64)
        var created = 0
        var largestRequest = 0

        /// Removes and returns the free buffer that serves a request of `byteCount` bytes best
        /// (`Buffer.serves`), grown to the largest request so far if it is too small (whichever thread
        /// takes it next, it fits). First adds empty buffers until `count` exist.
        mutating func take(fitting byteCount: Int, keepingAtLeast count: Int) -> Buffer {
            while created < count {
                buffers.append(Buffer())
                created += 1
            }
            largestRequest = max(largestRequest, byteCount)
            let thread = pthread_self()
            var best: Int?
            for (index, buffer) in buffers.enumerated() {
                guard let current = best else { best = index; continue }
                if buffer.serves(byteCount, from: thread, betterThan: buffers[current]) { best = index }
            }
            var buffer = best.map { buffers.remove(at: $0) } ?? Buffer()
            if best == nil { created += 1 }
            if buffer.byteCount < byteCount { buffer.grow(to: largestRequest) }
            return buffer
        }

        /// Puts `buffer` back, then grows the free buffers (it included: one that was in use while the
        /// largest request grew catches up now) to the largest request so far, at most `largestSpare` bytes.
        mutating func giveBack(_ buffer: Buffer) {
            var buffer = buffer
            buffer.lastThread = pthread_self()
            buffers.append(buffer)
            let spareSize = min(largestRequest, ScratchBuffers.largestSpare)
            for index in buffers.indices where buffers[index].byteCount < spareSize {
                buffers[index].grow(to: spareSize)
            }
        }
    }

    private static let freeList = Mutex(FreeList())
}

extension Array {
    /// This array with room reserved for `capacity` elements.
    fileprivate func reserving(_ capacity: Int) -> Self {
        var array = self
        array.reserveCapacity(capacity)
        return array
    }
}
