import Foundation

/// Working memory for `sgemm`, kept between calls so that a steady-state training step allocates
/// nothing. Each concurrent `sgemm` call takes its own scratch from a shared free list.
final class GEMMScratch {
    enum Role: Int, CaseIterable {
        /// A transposed op(A) block, MC × KC, in row panels of `MicroTile.rows` rows.
        case packedA
        /// op(B) block, KC × NC, in panels of `MicroTile.columns` columns.
        case packedB
        /// One `MicroTile.rows` × `MicroTile.columns` tile, for the edge tiles of C.
        case tile
        /// SIMD16 partial sums of the long-K kernel, one vector per element of C.
        case partialSums
    }

    private var pointers = [UnsafeMutableRawPointer?](repeating: nil, count: Role.allCases.count)
    private var capacities = [Int](repeating: 0, count: Role.allCases.count)

    /// A 64-byte aligned buffer of at least `count` floats (at least one, so that a role first used
    /// with no elements is still counted as used, and caught up by the pool); its contents are left
    /// from earlier use.
    func buffer(_ role: Role, count: Int) -> UnsafeMutablePointer<Float> {
        let index = role.rawValue, count = max(count, 1)
        if count > capacities[index] {
            pointers[index]?.deallocate()
            let memory = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride,
                                                          alignment: 64)
            memory.bindMemory(to: Float.self, capacity: count)
            pointers[index] = memory
            capacities[index] = count
        }
        return pointers[index]!.assumingMemoryBound(to: Float.self)
    }

    deinit {
        for pointer in pointers { pointer?.deallocate() }
    }

    private static let pool = Pool()

    /// Runs `body` with a scratch no other caller uses meanwhile.
    static func withScratch<Result>(_ body: (GEMMScratch) -> Result) -> Result {
        let scratch = pool.take()
        defer { pool.give(scratch) }
        return body(scratch)
    }

    /// The free list, guarded by a lock. It holds a scratch for every thread of the worker pool from
    /// the first call on, and every scratch it takes back grows the free ones, and itself, to the
    /// largest buffers any has needed: a worker that first runs a product late (on a loaded machine,
    /// the caller may run every part alone for a while) finds a scratch ready instead of allocating
    /// one in a later step.
    private final class Pool: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [GEMMScratch] = []
        private var created = 0
        /// The largest capacity of each role over every scratch given back.
        private var largest = [Int](repeating: 0, count: Role.allCases.count)

        func take() -> GEMMScratch {
            lock.lock(); defer { lock.unlock() }
            while created < WorkerPool.shared.threadCount {
                free.append(GEMMScratch())
                created += 1
            }
            if let scratch = free.popLast() { return scratch }
            created += 1
            return GEMMScratch()
        }

        func give(_ scratch: GEMMScratch) {
            lock.lock(); defer { lock.unlock() }
            for role in Role.allCases where scratch.capacities[role.rawValue] > largest[role.rawValue] {
                largest[role.rawValue] = scratch.capacities[role.rawValue]
                for other in free { _ = other.buffer(role, count: largest[role.rawValue]) }
            }
            // A scratch that was in use while another grew the largest catches up now.
            for role in Role.allCases where largest[role.rawValue] > scratch.capacities[role.rawValue] {
                _ = scratch.buffer(role, count: largest[role.rawValue])
            }
            free.append(scratch)
        }
    }
}
