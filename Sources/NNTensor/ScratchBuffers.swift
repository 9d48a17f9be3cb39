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
        var buffer = freeList.withLock { $0.popLast() } ?? Buffer()
        if buffer.byteCount < byteCount {
            buffer.memory?.deallocate()
            buffer = Buffer(memory: UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64), byteCount: byteCount)
        }
        defer { freeList.withLock { $0.append(buffer) } }
        return try body(buffer.memory!.bindMemory(to: Element.self, capacity: count))
    }

    /// One allocation: its memory (nil until first used) and size.
    private struct Buffer: @unchecked Sendable {
        var memory: UnsafeMutableRawPointer?
        var byteCount = 0
    }

    private static let freeList = Mutex<[Buffer]>([])
}
