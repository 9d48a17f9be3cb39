import NNTensor
import Foundation
import Testing

/// `AttentionShape`'s loops: the forward pass against a naive per-element computation, and both
/// passes the same bits on one thread and on two (the pairs split over the worker pool).
struct AttentionShapeTests {
    /// 16 batch-first sequences of 16 positions, 4 heads of 16: enough products to split.
    static let shape = AttentionShape(batch: 16, queryLength: 16, keyLength: 16, heads: 4, headSize: 16, batchFirst: true, causal: true)
    static var rows: Int { shape.batch * shape.queryLength }
    static var area: Int { shape.queryLength * shape.keyLength }

    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var random = RandomGenerator(seed: seed)
        return (0..<count).map { _ in random.uniform(-1, 1) }
    }

    /// The packed projections [rows, 3E] and dropout multipliers (0 or 1.25) [pairs, Lq, Lk].
    static let projections = values(rows * 3 * shape.embedDim, seed: 21)
    static let masks = values(shape.pairs * area, seed: 22).map { $0 < -0.6 ? Float(0) : 1.25 }

    /// The forward output [rows, E] and weights, then dq and dkv (one buffer: self-attention).
    static func run(threads: Int) -> (output: [Float], weights: [Float], gradient: [Float]) {
        let pool = WorkerPool.shared, saved = pool.threadCount
        pool.threadCount = threads
        defer { pool.threadCount = saved }
        var output = [Float](repeating: .nan, count: rows * shape.embedDim), weights = [Float](repeating: .nan, count: shape.pairs * area)
        var gradient = [Float](repeating: 0, count: projections.count)
        let outputGradient = values(output.count, seed: 23)
        shape.forward(q: projections, kv: projections, masks: masks, weights: &weights, output: &output)
        gradient.withUnsafeMutableBufferPointer { gradient in
            shape.backward(q: projections, kv: projections, outputGradient: outputGradient, weights: weights, masks: masks,
                           dq: gradient.baseAddress!, dkv: gradient.baseAddress!)
        }
        return (output, weights, gradient)
    }

    @Test func forwardIsMaskedSoftmaxOfScaledScoresTimesValues() {
        let (output, _, _) = Self.run(threads: 1)
        let (shape, e, d, length) = (Self.shape, Self.shape.embedDim, Self.shape.headSize, Self.shape.queryLength)
        func projection(_ n: Int, _ position: Int, _ column: Int) -> Double { Double(Self.projections[(n * length + position) * 3 * e + column]) }
        var worst: Double = 0
        for n in 0..<shape.batch {
            for head in 0..<shape.heads {
                for i in 0..<length {
                    let scores = (0...i).map { j in
                        (0..<d).reduce(0.0) { $0 + projection(n, i, head * d + $1) * projection(n, j, e + head * d + $1) } / Double(d).squareRoot()
                    }
                    let exponentials = scores.map { Foundation.exp($0 - scores.max()!) }, total = exponentials.reduce(0, +)
                    let mask = Self.masks[((n * shape.heads + head) * length + i) * length ..< ((n * shape.heads + head) * length + i + 1) * length]
                    for c in 0..<d {
                        let expected = (0...i).reduce(0.0) { sum, j in
                            sum + exponentials[j] / total * Double(mask[mask.startIndex + j]) * projection(n, j, 2 * e + head * d + c)
                        }
                        worst = max(worst, abs(Double(output[(n * length + i) * e + head * d + c]) - expected))
                    }
                }
            }
        }
        #expect(worst < 1e-5)
    }

    @Test func bothPassesAreTheSameOnOneAndTwoThreads() {
        let (one, two) = (Self.run(threads: 1), Self.run(threads: 2))
        #expect(one.output == two.output)
        #expect(one.weights == two.weights)
        #expect(one.gradient == two.gradient)
    }
}
