import Foundation
import Synchronization
import Testing
@testable import NNTensor

/// `VectorExp` against the C library's `expf`, and the loops that use it against the scalar loops
/// they replaced (`Foundation.exp` element by element), bit for bit.
@Suite struct VectorExpTests {
    /// The inputs among `patterns` (bit patterns, 16 per call) where `VectorExp` and `Foundation.exp`
    /// differ, NaNs matching NaNs.
    static func mismatches(_ patterns: some Collection<UInt32>) -> [(x: Float, vector: Float, library: Float)] {
        var mismatches: [(x: Float, vector: Float, library: Float)] = []
        var x = SIMD16<Float>(), lanes = 0
        func check() {
            let y = VectorExp.exp(x)
            for lane in 0..<lanes {
                let library = Foundation.exp(x[lane])
                if library.bitPattern != y[lane].bitPattern && !(library.isNaN && y[lane].isNaN) {
                    mismatches.append((x[lane], y[lane], library))
                }
            }
            lanes = 0
        }
        for pattern in patterns {
            x[lanes] = Float(bitPattern: pattern)
            lanes += 1
            if lanes == 16 { check() }
        }
        if lanes > 0 { check() }
        return mismatches
    }

    /// Every 2039th bit pattern of all 2³² (both signs, subnormals, ±∞ and NaNs), the values around
    /// the ends of the range, and the two that only the fused multiply-adds round right.
    @Test func equalsTheLibraryExpOnASampleOfAllFloats() {
        var patterns = Array(stride(from: UInt32(0), to: UInt32.max - 2039, by: 2039))
        for edge: Float in [88.0, 0x1.62e42ep6, -0x1.9fe368p6, -0x1.9d1d9ep6, -87.33655, 0, 1e-20] {
            for offset in -40...40 { patterns.append(UInt32(bitPattern: Int32(bitPattern: edge.bitPattern) &+ Int32(offset))) }
        }
        // The two inputs (of all 2³²) that a cubic without the fused r = x · 32/ln 2 − k rounds the other way.
        patterns += [Float(32.564632).bitPattern, Float(-63.09946).bitPattern]
        patterns += [Float.infinity, -.infinity, .nan, -.nan, .signalingNaN, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
            .map(\.bitPattern)
        let mismatches = Self.mismatches(patterns)
        #expect(patterns.count > 2_000_000)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first \(mismatches.prefix(3))")
    }

    /// All 2³² inputs, on request: `NNSPEC_EXHAUSTIVE=1 swift test --filter equalsTheLibraryExpOnAllFloats`
    /// (16 minutes on two cores in a debug build).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NNSPEC_EXHAUSTIVE"] == "1"))
    func equalsTheLibraryExpOnAllFloats() {
        let slices = 256, sliceLength = (1 << 32) / slices
        let found = Mutex<[(x: Float, vector: Float, library: Float)]>([])
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let start = UInt32(slice * sliceLength), mismatches = Self.mismatches(start...(start + UInt32(sliceLength - 1)))
            found.withLock { $0 += mismatches }
        }
        let mismatches = found.withLock { $0 }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first \(mismatches.prefix(3))")
    }

    /// The same bits, any NaN matching any NaN (which NaN an operation with two NaN operands returns
    /// depends on the operands' order in the instruction, which the compiler chooses).
    func same(_ actual: [Float], _ expected: [Float]) -> Bool {
        actual.count == expected.count
            && zip(actual, expected).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    /// Softmax as it was written before its exponentials ran 16 at a time.
    func referenceSoftmax(outer: Int, size: Int, inner: Int, logarithm: Bool, _ input: [Float]) -> [Float] {
        var output = input
        for o in 0..<outer {
            for j in 0..<inner {
                let base = o * size * inner + j
                var maximum = -Float.infinity
                for i in 0..<size { maximum = max(maximum, input[base + i * inner]) }
                var total: Float = 0
                for i in 0..<size {
                    output[base + i * inner] = input[base + i * inner] - maximum
                    total += Foundation.exp(output[base + i * inner])
                }
                let logTotal = Foundation.log(total), inverse = 1 / total
                for i in 0..<size {
                    let index = base + i * inner
                    output[index] = logarithm ? output[index] - logTotal : Foundation.exp(output[index]) * inverse
                }
            }
        }
        return output
    }

    /// Random lines with the values softmax must keep: −0, ±∞, NaN, large magnitudes.
    func scores(_ count: Int, seed: UInt64) -> [Float] {
        var random = RandomGenerator(seed: seed)
        let specials: [Float] = [-0.0, .infinity, -.infinity, .nan, 90, -110, 1e30]
        return (0..<count).map { index in index % 13 == 7 ? specials[(index / 13) % specials.count] : random.uniform(-30, 30) }
    }

    static let shapes = [(outer: 3, size: 1, inner: 1), (5, 10, 1), (4, 16, 1), (2, 33, 1), (3, 27, 16), (2, 5, 3), (2, 17, 17)]

    @Test(arguments: shapes, [false, true])
    func softmaxHasTheScalarLoopsBits(shape: (outer: Int, size: Int, inner: Int), logarithm: Bool) {
        let count = shape.outer * shape.size * shape.inner
        // Plain random lines, and lines with special values.
        for input in [scores(count, seed: 1).map { $0.isFinite && abs($0) < 50 ? $0 : 1.5 }, scores(count, seed: 2)] {
            var output = [Float](repeating: .nan, count: count), inPlace = input
            softmax(outer: shape.outer, size: shape.size, inner: shape.inner, logarithm: logarithm, input: input, output: &output)
            inPlace.withUnsafeMutableBufferPointer { buffer in
                softmax(outer: shape.outer, size: shape.size, inner: shape.inner, logarithm: logarithm,
                        input: buffer.baseAddress!, output: buffer.baseAddress!)
            }
            let expected = referenceSoftmax(outer: shape.outer, size: shape.size, inner: shape.inner, logarithm: logarithm, input)
            #expect(same(output, expected), "\(shape)")
            #expect(same(inPlace, expected), "\(shape) in place")
        }
    }

    @Test(arguments: shapes)
    func logSoftmaxGradientHasTheScalarLoopsBits(shape: (outer: Int, size: Int, inner: Int)) {
        let count = shape.outer * shape.size * shape.inner
        let input = scores(count, seed: 3).map { $0.isFinite && abs($0) < 50 ? $0 : -2.5 }
        var output = [Float](repeating: .nan, count: count), inputGradient = scores(count, seed: 4)
        softmax(outer: shape.outer, size: shape.size, inner: shape.inner, logarithm: true, input: input, output: &output)
        let outputGradient = scores(count, seed: 5)
        var expected = inputGradient
        for o in 0..<shape.outer {
            for j in 0..<shape.inner {
                let base = o * shape.size * shape.inner + j
                var total: Float = 0
                for i in 0..<shape.size { total += outputGradient[base + i * shape.inner] }
                for i in 0..<shape.size {
                    let index = base + i * shape.inner
                    expected[index] += outputGradient[index] - Foundation.exp(output[index]) * total
                }
            }
        }
        softmaxBackward(outer: shape.outer, size: shape.size, inner: shape.inner, logarithm: true, output: output,
                        outputGradient: outputGradient, inputGradient: &inputGradient)
        #expect(same(inputGradient, expected), "\(shape)")
    }

    /// Cross entropy from logits: dx_c += s · ((1 − ε)·w_y + ε/C·Σw) · p_c, p_c = exp(log p_c); element 1
    /// ignored (its dx untouched).
    @Test(arguments: [(batch: 5, classes: 10, spatial: 1), (3, 27, 16), (2, 33, 3)])
    func crossEntropyGradientHasTheScalarLoopsBits(shape: (batch: Int, classes: Int, spatial: Int)) {
        let count = shape.batch * shape.classes * shape.spatial
        var logp = [Float](repeating: .nan, count: count)
        softmax(outer: shape.batch, size: shape.classes, inner: shape.spatial, logarithm: true,
                input: scores(count, seed: 6).map { $0.isFinite && abs($0) < 50 ? $0 : 0.5 }, output: &logp)
        var random = RandomGenerator(seed: 7)
        let targets = (0..<(shape.batch * shape.spatial)).map { $0 == 1 ? -100 : random.index(below: shape.classes) }
        let weight = (0..<shape.classes).map { _ in random.uniform(0.5, 2) }, weightTotal = weight.reduce(0, +)
        let loss = ClassificationLossShape(input: [shape.batch, shape.classes, shape.spatial], ignoreIndex: -100,
                                           labelSmoothing: 0.1, fromLogits: true)
        var dx = [Float](repeating: 0, count: count)
        loss.accumulateInputGradient(logp: logp, targets: targets, weight: weight, weightTotal: weightTotal,
                                     uniformScale: 0.25, elementScales: nil, dx: &dx)
        var expected = [Float](repeating: 0, count: count)
        let uniformShare: Float = 0.1 / Float(shape.classes)
        for n in 0..<shape.batch {
            for s in 0..<shape.spatial {
                let target = targets[n * shape.spatial + s], base = n * shape.classes * shape.spatial + s
                guard target != -100 else { continue }
                for c in 0..<shape.classes { expected[base + c * shape.spatial] -= 0.25 * uniformShare * weight[c] }
                expected[base + target * shape.spatial] -= 0.25 * (1 - 0.1) * weight[target]
                let total: Float = 0.25 * ((1 - 0.1) * weight[target] + uniformShare * weightTotal)
                for c in 0..<shape.classes {
                    expected[base + c * shape.spatial] += total * Foundation.exp(logp[base + c * shape.spatial])
                }
            }
        }
        #expect(same(dx, expected), "\(shape)")
    }
}
