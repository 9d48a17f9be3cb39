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
                                         .elu(alpha: 0.7), .gelu, .geluTanh, .sigmoid, .tanh]

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

    @Test func axisSumsMatchReference() {
        for (outer, size, inner) in [(1, 1, 1), (3, 5, 1), (256, 120, 1), (7, 3, 17), (5, 6, 100), (64, 6, 784), (2, 4, 15), (9, 16, 32)] {
            let input = randomValues(outer * size * inner, seed: 6)
            let start = randomValues(size, seed: 7)
            var fast = start, reference = start
            accumulateAxisSums(outer: outer, size: size, inner: inner, input: input, sums: &fast)
            accumulateAxisSumsReference(outer: outer, size: size, inner: inner, input: input, sums: &reference)
            let tolerance = Float(outer * inner).squareRoot() * 1e-6 * 4
            #expect(zip(fast, reference).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }, "\(outer)×\(size)×\(inner)")
        }
    }

    @Test func axisSumsAreTheSameForOneAndTwoThreads() {
        let input = randomValues(64 * 6 * 784, seed: 8)
        func sums(threads: Int) -> [Float] {
            let pool = WorkerPool.shared, saved = pool.threadCount
            pool.threadCount = threads
            defer { pool.threadCount = saved }
            var sums = [Float](repeating: 0, count: 6)
            accumulateAxisSums(outer: 64, size: 6, inner: 784, input: input, sums: &sums)
            return sums
        }
        #expect(sums(threads: 1) == sums(threads: 2))
    }
}
