import NNTensor
import Testing

private func randomValues(_ count: Int, seed: UInt64, in range: ClosedRange<Float> = -3...3) -> [Float] {
    var random = RandomGenerator(seed: seed)
    return (0..<count).map { _ in random.uniform(range.lowerBound, range.upperBound) }
}

/// `applyActivation` over arrays: the output and (when asked for) the derivative.
private func forward(_ activation: Activation, _ x: [Float], derivative: Bool = false) -> (y: [Float], slope: [Float]) {
    var y = [Float](repeating: .nan, count: x.count), slope = derivative ? y : []
    x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
            slope.withUnsafeMutableBufferPointer { slope in
                applyActivation(activation, input: x, output: y, derivative: derivative ? slope : nil)
            }
        }
    }
    return (y, slope)
}

/// `activationBackward` over arrays, into a fresh array.
private func backward(_ activation: Activation, x: [Float], y: [Float], dy: [Float]) -> [Float] {
    var dx = [Float](repeating: .nan, count: x.count)
    x.withUnsafeBufferPointer { x in
        y.withUnsafeBufferPointer { y in
            dy.withUnsafeBufferPointer { dy in
                dx.withUnsafeMutableBufferPointer { dx in
                    activationBackward(activation, input: x, output: y, outputGradient: dy, inputGradient: dx)
                }
            }
        }
    }
    return dx
}

private let activations: [Activation] = [.relu, .leakyRelu(negativeSlope: 0.2), .leakyRelu(negativeSlope: -0.5),
                                         .elu(alpha: 0.7), .gelu, .geluTanh, .sigmoid, .tanh, .relu6, .silu, .hardswish,
                                         .softplus(beta: 1, threshold: 20), .softplus(beta: 2, threshold: 3), .mish]

/// Odd lengths around the SIMD widths, and one long enough to be split over two threads.
private let lengths = [1, 7, 16, 33, 100, 70_001]

@Suite("Pointwise kernels")
struct PointwiseKernelTests {
    /// The backward kernel (which recomputes f′ from x and y) gives dy · f′ with the f′ that the
    /// forward pass computes, bit for bit; ReLU selects dy where y > 0 (0, not dy·0, elsewhere).
    @Test(arguments: activations)
    func activationBackwardIsTheOutputGradientTimesTheForwardDerivative(_ activation: Activation) {
        for count in lengths {
            var x = randomValues(count, seed: 1)
            x[0] = 0
            let dy = randomValues(count, seed: 2)
            let (y, derivative) = forward(activation, x, derivative: true)
            let dx = backward(activation, x: x, y: y, dy: dy)
            let expected = zip(dy, derivative).map { $0 * $1 }
            #expect(zip(dx, expected).allSatisfy { $0 == $1 && $0.sign == $1.sign || ($1 == 0 && $0 == 0) }, "\(activation) \(count)")
            if activation == .relu {
                #expect(zip(dx, zip(x, dy)).allSatisfy { $0 == ($1.0 > 0 ? $1.1 : 0) && ($1.0 > 0 || $0.sign == .plus) })
            }
        }
    }

    /// ReLU as `torch.relu` and its backward (values from PyTorch 2.15): −0 stays −0, NaN stays NaN,
    /// and the gradient passes wherever the output is not ≤ 0 (a NaN output's included).
    @Test func reluKeepsNaNAndNegativeZeroAsPyTorch() {
        let x: [Float] = [-0.0, .nan, -1, 2, -.infinity, .infinity]
        for count in [6, 96] {  // the scalar loop, and the vector one
            let input = (0..<count).map { x[$0 % x.count] }
            let y = forward(.relu, input).y
            let dx = backward(.relu, x: input, y: y, dy: [Float](repeating: 1, count: count))
            for index in 0..<count {
                switch index % x.count {
                case 0: #expect(y[index] == 0 && y[index].sign == .minus && dx[index] == 0)
                case 1: #expect(y[index].isNaN && dx[index] == 1)
                case 2: #expect(y[index] == 0 && y[index].sign == .plus && dx[index] == 0)
                case 3: #expect(y[index] == 2 && dx[index] == 1)
                case 4: #expect(y[index] == 0 && dx[index] == 0)
                default: #expect(y[index] == .infinity && dx[index] == 1)
                }
            }
        }
    }

    /// ReLU6, SiLU, Hardswish, Softplus(beta=2.0, threshold=3.0) and Mish at −0, NaN, the kinks, ±∞ and
    /// far out, with their gradients for dy = 1: PyTorch 2.15's values (the first 16 of 64 elements,
    /// so its vectorised loop's: `m(x).backward(torch.ones_like(x))`).
    @Test(arguments: [
        (Activation.relu6,
         [-0.0, .nan, 0, 0, 3.0, 6.0, 6.0, 0, 6.0, 0, 2.0, 0, 1.49, 1.51, 6.0, 0] as [Float],
         [0, 0, 0, 0, 1.0, 0, 0, 0, 0, 0, 1.0, 0, 1.0, 1.0, 0, 0] as [Float]),
        (.silu,
         [-0.0, .nan, -0.26894143, 0, 2.8577225, 5.9851646, 6.9936228, -0.14227761, .infinity, .nan, 1.7615941, -0.10259281,
          1.2159566, 1.2367824, 100.0, -0.0],
         [0.5, .nan, 0.072329484, 0.5, 1.0881041, 1.0123262, 1.0054601, -0.088104106, .nan, .nan, 1.0907843, -0.070273347,
          1.0397191, 1.0428431, 1.0, -0.0]),
        (.hardswish,
         [-0.0, .nan, -0.33333334, 0, 3.0, 6.0, 7.0, -0.0, .infinity, .nan, 1.6666666, -0.0, 1.1150166, 1.1350167, 100.0, -0.0],
         [0.5, .nan, 0.16666666, 0.5, 1.0, 1.0, 1.0, 0, 1.0, 0, 1.1666667, 0, 0.99666667, 1.0033333, 1.0, 0]),
        (.softplus(beta: 2, threshold: 3),
         [0.34657359, .nan, 0.063464008, 0.34657359, 3.0, 6.0, 7.0, 0.0012378426, .infinity, 0, 2.0, 0.00045573324,
          1.5147725, 1.51, 100.0, 0],
         [0.5, .nan, 0.11920292, 0.5, 1.0, 1.0, 1.0, 0.0024726233, 1.0, 0, 1.0, 0.00091105123, 0.95166236, 1.0, 1.0, 0]),
        (.mish,
         [-0.0, .nan, -0.30340147, 0, 2.9865351, 5.9999266, 6.9999886, -0.14564747, .infinity, .nan, 1.943959, -0.10409575,
          1.3924934, 1.414263, 100.0, -3.9236357e-42],
         [0.6, .nan, 0.05921676, 0.6, 1.021107, 1.000134, 1.0000217, -0.093393125, .nan, .nan, 1.0693179, -0.072760418,
          1.0884981, 1.0884553, 1.0, 3.9236357e-44]),
    ])
    func activationsKeepNaNSignsAndKinksAsPyTorch(_ activation: Activation, output: [Float], gradient: [Float]) {
        let x: [Float] = [-0.0, .nan, -1, 0, 3, 6, 7, -3, .infinity, -.infinity, 2, -3.5, 1.49, 1.51, 100, -100]
        /// NaN as NaN, a zero with its sign, anything else within 1e-6 (relative above 1).
        func matches(_ actual: Float, _ expected: Float) -> Bool {
            if expected.isNaN || expected == 0 || expected.isInfinite {
                return expected.isNaN ? actual.isNaN : actual == expected && actual.sign == expected.sign
            }
            return abs(actual - expected) <= 1e-6 * max(1, abs(expected))
        }
        for count in [16, 96] {  // one vector step, and several (the scalar loop below, one element at a time)
            let input = (0..<count).map { x[$0 % x.count] }
            let y = forward(activation, input).y
            let dx = backward(activation, x: input, y: y, dy: [Float](repeating: 1, count: count))
            for index in 0..<count {
                let position = index % x.count
                #expect(matches(y[index], output[position]), "\(activation) f(\(x[position])) = \(y[index]), not \(output[position])")
                #expect(matches(dx[index], gradient[position]), "\(activation) f′(\(x[position])) = \(dx[index]), not \(gradient[position])")
            }
        }
        for position in x.indices {
            let single = forward(activation, [x[position]]).y[0]
            #expect(matches(single, output[position]), "\(activation) scalar f(\(x[position]))")
            #expect(matches(backward(activation, x: [x[position]], y: [single], dy: [1])[0], gradient[position]),
                    "\(activation) scalar f′(\(x[position]))")
        }
    }

    /// The forward value does not depend on whether the derivative is stored, on the split over the
    /// pool, or on running in place.
    @Test(arguments: activations)
    func activationForwardIsTheSameInPlaceAndWithoutDerivative(_ activation: Activation) {
        for count in lengths {
            let x = randomValues(count, seed: 3)
            let withDerivative = forward(activation, x, derivative: true).y
            #expect(forward(activation, x).y == withDerivative, "\(activation) \(count)")
            var inPlace = x
            inPlace.withUnsafeMutableBufferPointer { buffer in
                applyActivation(activation, input: UnsafeBufferPointer(buffer), output: buffer, derivative: nil)
            }
            #expect(inPlace == withDerivative, "\(activation) \(count)")
            // One element at a time: no pool, no vector loop.
            for index in Swift.stride(from: 0, to: count, by: 997) {
                #expect(forward(activation, [x[index]]).y == [withDerivative[index]], "\(activation) element \(index)")
            }
        }
    }

    @Test func reluGradientInPlaceOverwritesTheOutputGradient() {
        let x = randomValues(1000, seed: 4), dy = randomValues(1000, seed: 5)
        let y = forward(.relu, x).y
        var inPlace = dy
        y.withUnsafeBufferPointer { y in
            inPlace.withUnsafeMutableBufferPointer { buffer in
                activationBackward(.relu, input: y, output: y, outputGradient: UnsafeBufferPointer(buffer), inputGradient: buffer)
            }
        }
        #expect(inPlace == backward(.relu, x: x, y: y, dy: dy))
    }

    /// PyTorch's ReLU backward is a select: a NaN or infinite output gradient at a unit with x ≤ 0
    /// gives 0, not NaN. torch.relu(x).backward(torch.tensor([nan, inf])) with x = [-1, 0] → [0, 0].
    @Test func reluGradientIgnoresNonFiniteGradientsOfDeadUnits() {
        let x: [Float] = [-1, 0, 2], dy: [Float] = [.nan, .infinity, 3]
        #expect(backward(.relu, x: x, y: forward(.relu, x).y, dy: dy) == [0, 0, 3])
    }

    /// The sum of two inputs with the ReLU in its pass (a planned Add that a ReLU alone reads) is,
    /// bit for bit, the sum then `Activation.relu`: sums of −0, 0 from x + (−x), NaN, ±∞ and ∞ − ∞,
    /// in the vector loop and the scalar tail (37 elements), in place and not; without the ReLU, the
    /// plain sum.
    @Test func rectifiedSumIsTheSumThenReLU() {
        let special: [Float] = [-0.0, -1.5, .nan, .infinity, -.infinity, 2, 0, -0.0]
        let other: [Float] = [-0.0, 1.5, 1, -.infinity, 3, -5, -0.0, 0]
        let count = 37
        let (randomA, randomB) = (randomValues(count, seed: 11), randomValues(count, seed: 12))
        let a = (0..<count).map { index in index < 32 ? special[index % 8] : randomA[index] }
        let b = (0..<count).map { index in index < 32 ? other[index % 8] : randomB[index] }
        let sum = zip(a, b).map { $0 + $1 }
        func added(rectified: Bool, inPlace: Bool) -> [Float] {
            var result = inPlace ? a : [Float](repeating: .nan, count: count)
            result.withUnsafeMutableBufferPointer { result in
                if inPlace {
                    b.withUnsafeBufferPointer { b in
                        add(result.baseAddress!, b.baseAddress!, into: result.baseAddress!, count: count, rectified: rectified)
                    }
                    return
                }
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        add(a.baseAddress!, b.baseAddress!, into: result.baseAddress!, count: count, rectified: rectified)
                    }
                }
            }
            return result
        }
        func sameBits(_ x: [Float], _ y: [Float]) -> Bool { x.map(\.bitPattern) == y.map(\.bitPattern) }
        for inPlace in [false, true] {
            #expect(sameBits(added(rectified: true, inPlace: inPlace), forward(.relu, sum).y))
            #expect(sameBits(added(rectified: false, inPlace: inPlace), sum))
        }
    }

    @Test func axisSumsMatchReference() {
        for (outer, size, inner) in [(1, 1, 1), (3, 5, 1), (256, 120, 1), (1024, 283, 1), (7, 3, 17), (5, 6, 100), (64, 6, 784), (2, 4, 15), (9, 16, 32)] {
            let input = randomValues(outer * size * inner, seed: 6)
            let start = randomValues(size, seed: 7)
            var fast = start, reference = start
            accumulateAxisSums(outer: outer, size: size, inner: inner, input: input, sums: &fast)
            accumulateAxisSumsReference(outer: outer, size: size, inner: inner, input: input, sums: &reference)
            let tolerance = Float(outer * inner).squareRoot() * 1e-6 * 4
            #expect(zip(fast, reference).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }, "\(outer)×\(size)×\(inner)")
        }
    }

    /// Channels of images, and the features of a linear layer's rows (64 at a time, 16, then one).
    @Test(arguments: [(outer: 64, size: 6, inner: 784), (1024, 283, 1)])
    func axisSumsAreTheSameForOneAndTwoThreads(outer: Int, size: Int, inner: Int) {
        let input = randomValues(outer * size * inner, seed: 8)
        func sums(threads: Int) -> [Float] {
            let pool = WorkerPool.shared, saved = pool.threadCount
            pool.threadCount = threads
            defer { pool.threadCount = saved }
            var sums = randomValues(size, seed: 9)
            accumulateAxisSums(outer: outer, size: size, inner: inner, input: input, sums: &sums)
            return sums
        }
        #expect(sums(threads: 1) == sums(threads: 2))
    }
}
