import Dispatch
import Testing
@testable import NNTensor

@Suite struct WorkerPoolTests {
    /// How many times `run` called each part (each part writes only its own slot).
    private func partCalls(_ pool: WorkerPool, parts: Int) -> [Int] {
        var calls = [Int](repeating: 0, count: parts)
        calls.withUnsafeMutableBufferPointer { calls in pool.run(parts: parts, context: calls) { calls, part in calls[part] += 1 } }
        return calls
    }

    @Test(arguments: [1, 2, 3])
    func everyPartRunsExactlyOnce(threads: Int) {
        let pool = WorkerPool(threadCount: threads)
        for parts in 0...9 {
            #expect(partCalls(pool, parts: parts) == [Int](repeating: 1, count: parts), "\(parts) parts on \(threads) threads")
        }
    }

    /// Two loops run as one job: each part of each loop exactly once, none of one loop in the other's place.
    @Test(arguments: [1, 2, 3])
    func twoLoopsRunEachOfTheirPartsExactlyOnce(threads: Int) {
        let pool = WorkerPool(threadCount: threads)
        for (firstParts, secondParts) in [(0, 0), (0, 3), (2, 0), (1, 1), (4, 8), (7, 2)] {
            var first = [Int](repeating: 0, count: firstParts), second = [Int](repeating: 0, count: secondParts)
            first.withUnsafeMutableBufferPointer { first in
                second.withUnsafeMutableBufferPointer { second in
                    pool.run(parts: firstParts, context: first, { calls, part in calls[part] += 1 },
                             thenParts: secondParts, context: second, { calls, part in calls[part] += 1 })
                }
            }
            #expect(first == [Int](repeating: 1, count: firstParts), "\(firstParts) + \(secondParts) parts on \(threads) threads")
            #expect(second == [Int](repeating: 1, count: secondParts), "\(firstParts) + \(secondParts) parts on \(threads) threads")
        }
    }

    @Test func aJobStartedInsideAPartRunsAllItsParts() {
        let pool = WorkerPool(threadCount: 2)
        var inner = [[Int]](repeating: [], count: 2)
        inner.withUnsafeMutableBufferPointer { inner in
            pool.run(parts: 2, context: (self, pool, inner)) { context, part in
                let (tests, pool, inner) = context
                inner[part] = tests.partCalls(pool, parts: 5)
            }
        }
        #expect(inner == [[Int]](repeating: [1, 1, 1, 1, 1], count: 2))
    }

    @Test func concurrentCallersEachGetAllTheirParts() {
        let pool = WorkerPool(threadCount: 2)
        let callers = 8
        var complete = [Bool](repeating: false, count: callers)
        complete.withUnsafeMutableBufferPointer { complete in
            nonisolated(unsafe) let complete = complete
            DispatchQueue.concurrentPerform(iterations: callers) { caller in
                var all = true
                for _ in 0..<200 { all = all && partCalls(pool, parts: 3) == [1, 1, 1] }
                complete[caller] = all
            }
        }
        #expect(complete.allSatisfy { $0 })
    }

    @Test func threadCountCanChangeBetweenJobs() {
        let pool = WorkerPool(threadCount: 1)
        for threads in [3, 1, 2, 4, 2] {
            pool.threadCount = threads
            #expect(pool.threadCount == threads)
            #expect(partCalls(pool, parts: 4) == [1, 1, 1, 1])
        }
    }

    @Test func chunksCoverTheRangeOnceOnBoundariesOf64() {
        let pool = WorkerPool(threadCount: 2)
        for count in [0, 1, 1000, 65_536, 100_001] {
            var covered = [UInt8](repeating: 0, count: count), isChunkStart = [Bool](repeating: false, count: count)
            covered.withUnsafeMutableBufferPointer { covered in
                isChunkStart.withUnsafeMutableBufferPointer { isChunkStart in
                    pool.forEachChunk(of: count, minimumChunk: 1024, context: (covered, isChunkStart)) { flags, chunk in
                        let (covered, isChunkStart) = flags
                        for index in chunk { covered[index] += 1 }
                        if !chunk.isEmpty { isChunkStart[chunk.lowerBound] = true }
                    }
                }
            }
            #expect(covered.allSatisfy { $0 == 1 }, "\(count) elements")
            #expect(isChunkStart.indices.allSatisfy { !isChunkStart[$0] || $0 % 64 == 0 })
        }
    }

    /// Consecutive pieces covering the range, none empty, the first at least as large as the last.
    @Test func blocksSplitTheRangeInOrderLargestFirst() {
        let pool = WorkerPool(threadCount: 2)
        var blocks = [Range<Int>](repeating: 0..<0, count: 3)
        blocks.withUnsafeMutableBufferPointer { blocks in
            pool.forEachBlock(of: 10..<20, parts: 3, context: blocks) { blocks, part, block in blocks[part] = block }
        }
        #expect(blocks == [10..<15, 15..<18, 18..<20])
        for (count, parts) in [(8, 8), (9, 8), (64, 8), (256, 8), (1000, 7)] {
            var pieces = [Range<Int>](repeating: 0..<0, count: parts)
            pieces.withUnsafeMutableBufferPointer { pieces in
                pool.forEachBlock(of: 0..<count, parts: parts, context: pieces) { pieces, part, block in pieces[part] = block }
            }
            #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == count, "\(count) in \(parts)")
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }, "\(count) in \(parts): \(pieces)")
            #expect(pieces[0].count >= pieces[parts - 1].count, "\(count) in \(parts): \(pieces)")
            #expect(pieces.allSatisfy { !$0.isEmpty }, "\(count) in \(parts)")
        }
    }

    /// sgemm on the shared pool: the same bits with one thread and with two, for products large
    /// enough to be split (columns, rows, the transposed product, the long-K and the single-row kernels).
    @Test(arguments: [(Transpose.none, Transpose.none, 6, 784, 25), (.none, .transposed, 64, 120, 400), (.none, .transposed, 64, 84, 120),
                      (.transposed, .none, 150, 100, 16), (.none, .transposed, 16, 150, 1600),
                      (.none, .transposed, 30, 300, 200), (.none, .none, 1, 2000, 120), (.none, .transposed, 1, 2000, 120)])
    func sgemmDoesNotDependOnTheThreadCount(transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int) {
        var random = RandomGenerator(seed: 7)
        let a = (0..<(m * k)).map { _ in random.uniform(-1, 1) }, b = (0..<(k * n)).map { _ in random.uniform(-1, 1) }
        let lda = transA == .none ? k : m, ldb = transB == .none ? n : k
        func product(threads: Int) -> [Float] {
            let pool = WorkerPool.shared, saved = pool.threadCount
            pool.threadCount = threads
            defer { pool.threadCount = saved }
            var c = [Float](repeating: 0.5, count: m * n)
            sgemm(transA, transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 1, c: &c, ldc: n)
            return c
        }
        var reference = [Float](repeating: 0.5, count: m * n)
        sgemmReference(transA, transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 1, c: &reference, ldc: n)
        let one = product(threads: 1), two = product(threads: 2)
        #expect(one == two)
        #expect(zip(one, reference).allSatisfy { abs($0 - $1) <= 1e-4 * Float(k) })
    }

    /// Two products as one job (a Linear layer's weight and input gradients) give the bits of two
    /// `sgemm` calls, on two threads.
    @Test func twoProductsAsOneJobMatchTwoCalls() {
        let pool = WorkerPool.shared, saved = pool.threadCount
        pool.threadCount = 2
        defer { pool.threadCount = saved }
        var random = RandomGenerator(seed: 3)
        let (rows, inFeatures, outFeatures) = (64, 400, 120)
        let x = (0..<(rows * inFeatures)).map { _ in random.uniform(-1, 1) }, w = (0..<(outFeatures * inFeatures)).map { _ in random.uniform(-1, 1) }
        let dy = (0..<(rows * outFeatures)).map { _ in random.uniform(-1, 1) }
        var separateDW = [Float](repeating: 0.25, count: outFeatures * inFeatures), separateDX = [Float](repeating: 0, count: rows * inFeatures)
        sgemm(.transposed, .none, m: outFeatures, n: inFeatures, k: rows, alpha: 1, a: dy, lda: outFeatures, b: x, ldb: inFeatures,
              beta: 1, c: &separateDW, ldc: inFeatures)
        sgemm(.none, .none, m: rows, n: inFeatures, k: outFeatures, alpha: 1, a: dy, lda: outFeatures, b: w, ldb: inFeatures,
              beta: 0, c: &separateDX, ldc: inFeatures)
        var jointDW = [Float](repeating: 0.25, count: outFeatures * inFeatures), jointDX = [Float](repeating: .nan, count: rows * inFeatures)
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                dy.withUnsafeBufferPointer { dy in
                    jointDW.withUnsafeMutableBufferPointer { dw in
                        jointDX.withUnsafeMutableBufferPointer { dx in
                            sgemm(MatrixProduct(.transposed, .none, m: outFeatures, n: inFeatures, k: rows, alpha: 1, a: dy.baseAddress!,
                                                lda: outFeatures, b: x.baseAddress!, ldb: inFeatures, beta: 1, c: dw.baseAddress!,
                                                ldc: inFeatures),
                                  MatrixProduct(.none, .none, m: rows, n: inFeatures, k: outFeatures, alpha: 1, a: dy.baseAddress!,
                                                lda: outFeatures, b: w.baseAddress!, ldb: inFeatures, beta: 0, c: dx.baseAddress!,
                                                ldc: inFeatures))
                        }
                    }
                }
            }
        }
        #expect(jointDW == separateDW)
        #expect(jointDX == separateDX)
    }
}
