import Testing
import NNTensor

// Loops that split their rows over the worker pool once they hold `WorkerPool.parallelElements`
// values (DimensionSwap.swift, Reductions.swift, ClassificationLossKernels.swift): the same bits on
// one thread and three, and the swap against its index formula.

/// `body()` with the worker pool at `threads` threads.
private func onThreads<Result>(_ threads: Int, _ body: () -> Result) -> Result {
    let pool = WorkerPool.shared, saved = pool.threadCount
    pool.threadCount = threads
    defer { pool.threadCount = saved }
    return body()
}

private func randomValues(_ count: Int, seed: UInt64) -> [Float] {
    var random = RandomGenerator(seed: seed)
    return (0..<count).map { _ in random.uniform(-3, 3) }
}

/// Shapes and swapped dimensions: a Transpose(1, 2) of [N, T, C] (runs of one value), batch_first's
/// [N, T, H] → [T, N, H], a middle dimension with short runs, and two below the parallel size.
@Test(arguments: [([64, 16, 27], 1, 2), ([64, 16, 64], 0, 1), ([2, 40, 9, 30], 0, 2), ([3, 5, 7, 11, 13], 1, 3), ([4, 6], 0, 1)])
func dimensionSwapMovesEveryValueOnAnyThreadCount(shape: [Int], dim0: Int, dim1: Int) {
    let source = randomValues(shape.reduce(1, *), seed: 21)
    let swap = DimensionSwap(shape: shape, dim0, dim1)
    var swappedShape = shape
    swappedShape.swapAt(dim0, dim1)
    /// The flat index in `shape` of the value at `index` of the swapped tensor.
    func sourceIndex(_ index: Int) -> Int {
        var remainder = index, coordinates = [Int](repeating: 0, count: shape.count)
        for axis in (0..<shape.count).reversed() {
            coordinates[axis] = remainder % swappedShape[axis]
            remainder /= swappedShape[axis]
        }
        coordinates.swapAt(dim0, dim1)
        return zip(coordinates, shape).reduce(0) { $0 * $1.1 + $1.0 }
    }
    let expected = (0..<source.count).map { source[sourceIndex($0)] }
    for threads in [1, 3] {
        let swapped = onThreads(threads) {
            [Float](unsafeUninitializedCapacity: source.count) { target, count in
                swap.apply(source, into: target.baseAddress!)
                count = source.count
            }
        }
        #expect(swapped == expected, "\(shape) swapping \(dim0), \(dim1) on \(threads) threads")
    }
}

/// Softmax and log-softmax over the classes of [64, 27, 16] (the names LSTM's scores), forward and
/// backward, and the cross-entropy gradient with label smoothing and an ignored element.
@Test(arguments: [false, true])
func softmaxAndLossGradientAreTheSameOnOneAndThreeThreads(logarithm: Bool) {
    let (batch, classes, spatial) = (64, 27, 16), count = 64 * 27 * 16
    let input = randomValues(count, seed: 22), outputGradient = randomValues(count, seed: 23)
    var targets = RandomGenerator(seed: 24)
    let classIndices = (0..<(batch * spatial)).map { $0 == 5 ? -100 : targets.index(below: classes) }
    let weight = randomValues(classes, seed: 25).map(abs)
    let loss = ClassificationLossShape(input: [batch, classes, spatial], ignoreIndex: -100, labelSmoothing: 0.1, fromLogits: true)
    func run(threads: Int) -> [[Float]] {
        onThreads(threads) {
            var output = [Float](repeating: .nan, count: count), inputGradient = randomValues(count, seed: 26)
            var lossGradient = randomValues(count, seed: 27)
            softmax(outer: batch, size: classes, inner: spatial, logarithm: logarithm, input: input, output: &output)
            softmaxBackward(outer: batch, size: classes, inner: spatial, logarithm: logarithm, output: output,
                            outputGradient: outputGradient, inputGradient: &inputGradient)
            if logarithm {
                loss.accumulateInputGradient(logp: output, targets: classIndices, weight: weight, weightTotal: weight.reduce(0, +),
                                             uniformScale: 0.5, elementScales: nil, dx: &lossGradient)
            }
            return [output, inputGradient, lossGradient]
        }
    }
    let (one, three) = (run(threads: 1), run(threads: 3))
    #expect(one[0].allSatisfy { $0.isFinite })
    #expect(one == three)
}
