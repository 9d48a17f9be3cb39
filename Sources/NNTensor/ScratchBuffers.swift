import Synchronization

/// Reusable working memory for kernels that need a temporary buffer (a convolution's column
/// matrix, per-thread partial sums), so that a steady-state training step does not allocate it.
/// Buffers are kept on a shared free list; concurrent callers get different buffers.
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
        let byteCount = count * MemoryLayout<Element>.stride
        let (taken, largest) = freeList.withLock { pool in
            pool.largestRequest = max(pool.largestRequest, byteCount)
            return (Self.takeBestFit(byteCount, from: &pool.buffers), pool.largestRequest)
        }
        var buffer = taken ?? Buffer()
        if buffer.byteCount < byteCount {
            // Grown to the largest request so far: whichever thread takes it next, it fits (which
            // thread runs which part varies from step to step, and so do the sizes a thread asks for).
            buffer.memory?.deallocate()
            buffer = Buffer(memory: UnsafeMutableRawPointer.allocate(byteCount: largest, alignment: 64), byteCount: largest)
        }
        defer { freeList.withLock { $0.buffers.append(buffer) } }
        return try body(buffer.memory!.bindMemory(to: Element.self, capacity: count))
    }

    /// Removes and returns the smallest buffer of at least `byteCount` bytes, else the largest (which
    /// the caller grows), so that callers of different sizes on several threads keep finding buffers
    /// that fit instead of reallocating them.
    private static func takeBestFit(_ byteCount: Int, from buffers: inout [Buffer]) -> Buffer? {
        var best: Int?
        for (index, buffer) in buffers.enumerated() {
            guard let current = best else { best = index; continue }
            let fits = buffer.byteCount >= byteCount, bestFits = buffers[current].byteCount >= byteCount
            if fits ? (!bestFits || buffer.byteCount < buffers[current].byteCount) : (!bestFits && buffer.byteCount > buffers[current].byteCount) {
                best = index
            }
        }
        return best.map { buffers.remove(at: $0) }
    }

    /// One allocation: its memory (nil until first used) and size.
    private struct Buffer: @unchecked Sendable {
        var memory: UnsafeMutableRawPointer?
        var byteCount = 0
    }

    /// The free buffers, and the largest request so far in bytes.
    private struct FreeList {
        /// Room for more buffers than the threads ever hold at once, so that returning one never grows it.
        var buffers = [Buffer]().reserving(64)
        var largestRequest = 0
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
