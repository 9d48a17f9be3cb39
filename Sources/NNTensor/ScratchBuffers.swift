import Synchronization

/// Reusable working memory for kernels that need a temporary buffer (a convolution's column
/// matrix, per-thread partial sums), so that a steady-state training step does not allocate it.
/// Buffers are kept on a shared free list; concurrent callers get different buffers.
public enum ScratchBuffers {
    /// Runs `body` with a 64-byte aligned buffer of at least `count` floats that no other caller
    /// uses meanwhile; its contents are left over from earlier use.
    public static func withBuffer<Result>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> Result) rethrows -> Result {
        var buffer = freeList.withLock { $0.popLast() } ?? Buffer()
        if buffer.capacity < count {
            buffer.memory?.deallocate()
            buffer = Buffer(memory: UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64),
                            capacity: count)
            buffer.memory!.bindMemory(to: Float.self, capacity: count)
        }
        defer { freeList.withLock { $0.append(buffer) } }
        return try body(buffer.memory!.assumingMemoryBound(to: Float.self))
    }

    /// One allocation: its memory (nil until first used) and capacity in floats.
    private struct Buffer: @unchecked Sendable {
        var memory: UnsafeMutableRawPointer?
        var capacity = 0
    }

    private static let freeList = Mutex<[Buffer]>([])
}
