import NNTensor
import Testing

/// The vectorised, pool-split statistics of batch and layer normalisation against their naive
/// references, and the same bits on one thread and two.
struct NormalizationStatisticsTests {
    /// [outer, size, inner] shapes: BatchNorm1d (inner 1), image planes with and without row ends,
    /// layer-norm rows (outer 1), and inputs large enough to split over the pool.
    static let shapes = [(1, 1, 1), (64, 16, 1), (8, 3, 49), (4, 5, 1024), (1, 300, 64), (2, 7, 15), (16, 32, 4), (64, 16, 1024)]

    /// Uniform values in [offset − 3, offset + 3]: an offset far from 0 tests the two-pass variance.
    static func values(_ count: Int, seed: UInt64, offset: Float = 0) -> [Float] {
        var random = RandomGenerator(seed: seed)
        return (0..<count).map { _ in offset + random.uniform(-3, 3) }
    }

    /// Runs `body` with the shared pool at `threads` threads.
    static func withThreads<Result>(_ threads: Int, _ body: () -> Result) -> Result {
        let pool = WorkerPool.shared, saved = pool.threadCount
        pool.threadCount = threads
        defer { pool.threadCount = saved }
        return body()
    }

    @Test(arguments: shapes)
    func meanAndVarianceMatchTheReference(outer: Int, size: Int, inner: Int) {
        let input = Self.values(outer * size * inner, seed: 11, offset: 100)
        var mean = [Float](repeating: .nan, count: size), variance = mean
        var referenceMean = mean, referenceVariance = mean
        axisMeanAndVariance(outer: outer, size: size, inner: inner, input: input, mean: &mean, variance: &variance)
        axisMeanAndVarianceReference(outer: outer, size: size, inner: inner, input: input, mean: &referenceMean, variance: &referenceVariance)
        // Both sum in Double: they differ by its rounding, far below one float32 step.
        #expect(zip(mean, referenceMean).allSatisfy { abs($0 - $1) <= abs($1) * 2e-7 }, "\(outer)×\(size)×\(inner)")
        #expect(zip(variance, referenceVariance).allSatisfy { abs($0 - $1) <= abs($1) * 2e-7 }, "\(outer)×\(size)×\(inner)")
    }

    @Test(arguments: shapes)
    func gradientSumsMatchTheReference(outer: Int, size: Int, inner: Int) {
        let shape = BatchNormShape(input: [outer, size, inner])
        let x = Self.values(outer * size * inner, seed: 12), dy = Self.values(x.count, seed: 13)
        let mean = Self.values(size, seed: 14), inverseDeviation = Self.values(size, seed: 15).map { 0.5 + abs($0) }
        var sums = [Float](repeating: .nan, count: size), dots = sums, referenceSums = sums, referenceDots = sums
        shape.gradientSums(x: x, dy: dy, mean: mean, inverseDeviation: inverseDeviation, sums: &sums, dots: &dots)
        shape.gradientSumsReference(x: x, dy: dy, mean: mean, inverseDeviation: inverseDeviation, sums: &referenceSums, dots: &referenceDots)
        // Float lanes against a Double sum: within a few float32 steps of the magnitudes added.
        let tolerance = Float(outer * inner).squareRoot() * 4e-6 * 30
        #expect(zip(sums, referenceSums).allSatisfy { abs($0 - $1) <= tolerance }, "\(outer)×\(size)×\(inner)")
        #expect(zip(zip(dots, referenceDots), inverseDeviation).allSatisfy { abs($0.0 - $0.1) <= tolerance * $1 }, "\(outer)×\(size)×\(inner)")
    }

    @Test func statisticsAndGradientsAreTheSameOnOneAndTwoThreads() {
        let (batch, channels, spatial) = (64, 16, 1024)
        let shape = BatchNormShape(input: [batch, channels, spatial])
        let x = Self.values(batch * channels * spatial, seed: 16), dy = Self.values(x.count, seed: 17)
        let weight = Self.values(channels, seed: 18), bias = Self.values(channels, seed: 19)
        func run() -> [[Float]] {
            var mean = [Float](repeating: 0, count: channels), variance = mean, inverseDeviation = mean, sums = mean, dots = mean
            var y = [Float](repeating: 0, count: x.count), dx = dy
            axisMeanAndVariance(outer: batch, size: channels, inner: spatial, input: x, mean: &mean, variance: &variance)
            shape.inverseDeviations(variance: variance, eps: 1e-5, into: &inverseDeviation)
            shape.normalize(x: x, mean: mean, inverseDeviation: inverseDeviation, weight: weight, bias: bias, y: &y)
            shape.gradientSums(x: x, dy: dy, mean: mean, inverseDeviation: inverseDeviation, sums: &sums, dots: &dots)
            shape.accumulateInputGradient(x: x, dy: dy, mean: mean, inverseDeviation: inverseDeviation, weight: weight, sums: sums,
                                          dots: dots, usesBatchStatistics: true, dx: &dx)
            return [mean, variance, y, sums, dots, dx]
        }
        #expect(Self.withThreads(1, run) == Self.withThreads(2, run))
    }

    /// A ReLU or ReLU6 run inside the normalisation and its backward pass (`rectifier`, `rectified`)
    /// give the bits of the two layers one after the other, NaN gradients at units the rectifier
    /// zeroed or clamped at 6 included (x spans ±10, so that ReLU6 clamps at both ends).
    @Test(arguments: [(BatchNormRectifier.relu, true), (.relu, false), (.relu6, true), (.relu6, false)])
    func rectifiedNormalisationIsBatchNormThenTheActivation(rectifier: BatchNormRectifier, usesBatchStatistics: Bool) {
        let (batch, channels, spatial) = (4, 3, 29), activation: Activation = rectifier == .relu ? .relu : .relu6
        let shape = BatchNormShape(input: [batch, channels, spatial])
        let x = Self.values(batch * channels * spatial, seed: 30).map { $0 * 10 }, weight = Self.values(channels, seed: 31)
        let bias = Self.values(channels, seed: 32), mean = Self.values(channels, seed: 33)
        let inverseDeviation = Self.values(channels, seed: 34).map { 0.5 + abs($0) }
        var dy = Self.values(x.count, seed: 35)
        var normalized = [Float](repeating: .nan, count: x.count), rectified = normalized, fused = normalized
        shape.normalize(x: x, mean: mean, inverseDeviation: inverseDeviation, weight: weight, bias: bias, y: &normalized)
        normalized.withUnsafeBufferPointer { input in
            rectified.withUnsafeMutableBufferPointer { applyActivation(activation, input: input, output: $0, derivative: nil) }
        }
        shape.normalize(x: x, mean: mean, inverseDeviation: inverseDeviation, weight: weight, bias: bias, y: &fused, rectifier: rectifier)
        #expect(fused.map(\.bitPattern) == rectified.map(\.bitPattern))
        dy[rectified.firstIndex(of: 0)!] = .nan
        if rectifier == .relu6 { dy[rectified.firstIndex(of: 6)!] = .nan }
        var activationGradient = [Float](repeating: .nan, count: x.count)
        normalized.withUnsafeBufferPointer { input in
            rectified.withUnsafeBufferPointer { output in
                dy.withUnsafeBufferPointer { dy in
                    activationGradient.withUnsafeMutableBufferPointer {
                        activationBackward(activation, input: input, output: output, outputGradient: dy, inputGradient: $0)
                    }
                }
            }
        }
        /// Sums, dots and the input gradient from `gradient`, or from dy through the rectified output `output`.
        func backward(_ gradient: [Float], rectifiedOutput: [Float]?) -> [[UInt32]] {
            var sums = [Float](repeating: .nan, count: channels), dots = sums, dx = Self.values(x.count, seed: 36)
            let rectifiedOutput = rectifiedOutput ?? []
            rectifiedOutput.withUnsafeBufferPointer { output in
                let rectified = output.isEmpty ? nil : RectifiedOutput(rectifier, output: output.baseAddress!)
                shape.gradientSums(x: x, dy: gradient, mean: mean, inverseDeviation: inverseDeviation, sums: &sums, dots: &dots,
                                   rectified: rectified)
                shape.accumulateInputGradient(x: x, dy: gradient, mean: mean, inverseDeviation: inverseDeviation, weight: weight, sums: sums,
                                              dots: dots, usesBatchStatistics: usesBatchStatistics, dx: &dx, rectified: rectified)
            }
            return [sums, dots, dx].map { $0.map(\.bitPattern) }
        }
        #expect(backward(dy, rectifiedOutput: rectified) == backward(activationGradient, rectifiedOutput: nil))
    }

    /// The input gradient written over a buffer of NaNs (`overwrites`) has the bits of the one added
    /// into zeros, zeros' signs included (a zero weight gives contributions of −0, which both make +0).
    @Test(arguments: [true, false])
    func overwrittenInputGradientIsTheOneAddedIntoZeros(usesBatchStatistics: Bool) {
        let (batch, channels, spatial) = (3, 5, 37)
        let shape = BatchNormShape(input: [batch, channels, spatial])
        let x = Self.values(batch * channels * spatial, seed: 20), dy = Self.values(x.count, seed: 21)
        let mean = Self.values(channels, seed: 22), inverseDeviation = Self.values(channels, seed: 23).map { 0.5 + abs($0) }
        let weight = [0] + Self.values(channels - 1, seed: 24), sums = Self.values(channels, seed: 25), dots = Self.values(channels, seed: 26)
        func inputGradient(startingWith start: Float, overwrites: Bool) -> [UInt32] {
            var dx = [Float](repeating: start, count: x.count)
            shape.accumulateInputGradient(x: x, dy: dy, mean: mean, inverseDeviation: inverseDeviation, weight: weight, sums: sums,
                                          dots: dots, usesBatchStatistics: usesBatchStatistics, dx: &dx, overwrites: overwrites)
            return dx.map(\.bitPattern)
        }
        #expect(inputGradient(startingWith: .nan, overwrites: true) == inputGradient(startingWith: 0, overwrites: false))
    }
}
