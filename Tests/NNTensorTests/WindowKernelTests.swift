import NNTensor
import Testing

/// Sliding-window geometries over odd image sizes: every combination of kernel, stride, padding
/// and dilation below, for convolution (no ceil mode); pooling adds ceil mode.
private func geometries(channels: Int, height: Int, width: Int, ceilModes: [Bool] = [false],
                        strides: [(Int, Int)] = [(1, 1), (2, 3)],
                        dilations: [(Int, Int)] = [(1, 1), (2, 1)]) -> [Window2d] {
    var windows: [Window2d] = []
    for kernel in [(1, 1), (2, 2), (3, 3), (2, 5)] {
        for stride in strides {
            for padding in [(0, 0), (1, 1), (kernel.0 / 2, kernel.1 / 2)] {
                for dilation in dilations {
                    for ceilMode in ceilModes {
                        let window = Window2d(channels: channels, height: height, width: width, kernel: kernel,
                                              stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
                        if window.outputHeight > 0 && window.outputWidth > 0 { windows.append(window) }
                    }
                }
            }
        }
    }
    return windows
}

private func randomValues(_ count: Int, seed: UInt64, levels: Int? = nil) -> [Float] {
    var random = RandomGenerator(seed: seed)
    return (0..<count).map { _ in levels.map { Float(random.index(below: $0)) } ?? random.uniform(-1, 1) }
}

private func dot(_ x: [Float], _ y: [Float]) -> Double {
    zip(x, y).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

private extension Window2d {
    var imageCount: Int { channels * height * width }
    var outputCount: Int { channels * outputHeight * outputWidth }
    var columnCount: Int { channels * kernelHeight * kernelWidth * outputHeight * outputWidth }
}

private let convolutionWindows = geometries(channels: 2, height: 7, width: 9)
    // Stride 2 across rows of up to 23 outputs: im2col's vector gathers, the last rows' one by one.
    + geometries(channels: 2, height: 5, width: 45, strides: [(2, 2), (1, 2)])
    + [Window2d(channels: 1, height: 32, width: 32, kernel: (5, 5)),
       Window2d(channels: 6, height: 14, width: 14, kernel: (5, 5)),
       Window2d(channels: 3, height: 5, width: 19, kernel: (3, 4))]

@Test func im2colMatchesReference() {
    for window in convolutionWindows {
        let image = randomValues(window.imageCount, seed: 1)
        var fast = [Float](repeating: .nan, count: window.columnCount), reference = fast
        im2col(window, image: image, columns: &fast)
        im2colReference(window, image: image, columns: &reference)
        #expect(fast == reference, "\(window)")
    }
}

@Test func col2imMatchesReferenceAndIsTheAdjointOfIm2col() {
    for window in convolutionWindows {
        let columns = randomValues(window.columnCount, seed: 2), image = randomValues(window.imageCount, seed: 3)
        var fast = randomValues(window.imageCount, seed: 4), reference = fast
        col2im(window, columns: columns, image: &fast)
        col2imReference(window, columns: columns, image: &reference)
        #expect(fast == reference, "\(window)")

        var unfolded = [Float](repeating: 0, count: window.columnCount), folded = [Float](repeating: 0, count: window.imageCount)
        im2col(window, image: image, columns: &unfolded)
        col2im(window, columns: columns, image: &folded)
        #expect(abs(dot(unfolded, columns) - dot(image, folded)) < 1e-4, "\(window)")
    }
}

/// Small images, and rows wide enough for the SIMD path (column stride 1 or 2, four or eight outputs).
private let poolingWindows = (geometries(channels: 2, height: 7, width: 8, ceilModes: [false, true])
    + geometries(channels: 2, height: 5, width: 37, ceilModes: [false, true], strides: [(2, 2), (1, 1), (1, 2)],
                 dilations: [(1, 1), (1, 2)])
    + geometries(channels: 3, height: 10, width: 10, strides: [(2, 2)], dilations: [(1, 1)])
    + geometries(channels: 2, height: 28, width: 28, strides: [(2, 2)], dilations: [(1, 1)])
    + geometries(channels: 2, height: 9, width: 15, ceilModes: [false, true], strides: [(2, 2)], dilations: [(1, 1)])
    + tilingWindows)
    .filter { $0.paddingHeight * 2 <= $0.kernelHeight && $0.paddingWidth * 2 <= $0.kernelWidth }

/// 2×2 windows with stride 2 that tile the image exactly (LeNet's 28×28 and 10×10), with output
/// rows of 1 to 21 windows: shorter and longer than the kernels' groups of eight.
private let tilingWindows = [(3, 10, 10), (2, 28, 28), (2, 6, 42), (1, 2, 2), (4, 4, 6), (2, 8, 34), (3, 2, 16), (5, 4, 4)]
    .map { Window2d(channels: $0.0, height: $0.1, width: $0.2, kernel: (2, 2), stride: (2, 2)) }

@Test func maxPool2dMatchesReference() {
    for window in poolingWindows {
        // Few distinct values, so that windows hold ties; then the same with NaNs and −∞ mixed in.
        var image = randomValues(window.imageCount, seed: 5, levels: 4)
        for variant in 0..<2 {
            if variant == 1 {
                for index in Swift.stride(from: 0, to: image.count, by: 3) { image[index] = index % 2 == 0 ? .nan : -.infinity }
            }
            var fast = [Float](repeating: 0, count: window.outputCount), reference = fast
            var fastIndices = [Int32](repeating: -7, count: window.outputCount), referenceIndices = fastIndices
            maxPool2d(window, image: image, output: &fast, indices: &fastIndices)
            maxPool2dReference(window, image: image, output: &reference, indices: &referenceIndices)
            #expect(fastIndices == referenceIndices, "\(window)")
            #expect(zip(fast, reference).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(window)")
        }
    }
}

@Test func maxPool2dPicksTheLastNaNLikePyTorch() {
    // F.max_pool2d(torch.tensor([[[[nan, nan, 1., 5.], [1., 2., nan, 7.]]]]), 2, return_indices=True)
    // → values [nan, nan], indices [1, 6]
    let image: [Float] = [.nan, .nan, 1, 5, 1, 2, .nan, 7]
    let window = Window2d(channels: 1, height: 2, width: 4, kernel: (2, 2), stride: (2, 2))
    for kernel in [maxPool2d, maxPool2dReference] {
        var output = [Float](repeating: 0, count: 2), indices = [Int32](repeating: 0, count: 2)
        kernel(window, image, &output, &indices)
        #expect(indices == [1, 6])
        #expect(output.allSatisfy { $0.isNaN })
    }
}

@Test func maxPool2dBackwardRoutesEachGradientToItsWinner() {
    for window in poolingWindows {
        let image = randomValues(window.imageCount, seed: 6), outputGradient = randomValues(window.outputCount, seed: 7)
        var output = [Float](repeating: 0, count: window.outputCount), indices = [Int32](repeating: 0, count: window.outputCount)
        maxPool2d(window, image: image, output: &output, indices: &indices)
        let start = randomValues(window.imageCount, seed: 8)
        var inputGradient = start
        maxPool2dBackward(window, outputGradient: outputGradient, indices: indices, inputGradient: &inputGradient)
        var expected = start
        let planeOut = window.outputHeight * window.outputWidth, planeIn = window.height * window.width
        for output in 0..<window.outputCount {
            expected[output / planeOut * planeIn + Int(indices[output])] += outputGradient[output]
        }
        #expect(inputGradient == expected, "\(window)")
    }
}

/// The overwriting gradient equals the accumulating one into zeros, whatever the buffer held (NaN
/// here), with ties and NaNs deciding the winners.
@Test func maxPool2dInputGradientWritesEveryElement() {
    for window in poolingWindows {
        var image = randomValues(window.imageCount, seed: 11, levels: 3)
        for index in Swift.stride(from: 0, to: image.count, by: 7) { image[index] = .nan }
        let outputGradient = randomValues(window.outputCount, seed: 12)
        var output = [Float](repeating: 0, count: window.outputCount), indices = [Int32](repeating: 0, count: window.outputCount)
        maxPool2d(window, image: image, output: &output, indices: &indices)
        var written = [Float](repeating: .nan, count: window.imageCount)
        maxPool2dInputGradient(window, outputGradient: outputGradient, indices: indices, inputGradient: &written)
        var expected = [Float](repeating: 0, count: window.imageCount)
        maxPool2dBackward(window, outputGradient: outputGradient, indices: indices, inputGradient: &expected)
        #expect(written == expected, "\(window)")
    }
}

/// ReLU fused into max pooling gives the values, indices and gradient of the two layers run one
/// after the other (ReLU as `torch.relu`: 0 if x < 0, else x, NaN kept; its gradient: 0 where ReLU's
/// output is ≤ 0, else the output gradient).
@Test func reluMaxPool2dIsReLUThenMaxPool() {
    for window in poolingWindows {
        var image = randomValues(window.imageCount, seed: 13, levels: 5).map { $0 - 2 }
        for index in Swift.stride(from: 0, to: image.count, by: 11) { image[index] = index % 2 == 0 ? .nan : .infinity }
        let rectified = image.map { $0 < 0 ? 0 : $0 }
        var fused = [Float](repeating: 0, count: window.outputCount), separate = fused
        var fusedIndices = [Int32](repeating: -7, count: window.outputCount), separateIndices = fusedIndices
        reluMaxPool2d(window, image: image, output: &fused, indices: &fusedIndices)
        maxPool2dReference(window, image: rectified, output: &separate, indices: &separateIndices)
        #expect(fusedIndices == separateIndices, "\(window)")
        #expect(fused.map(\.bitPattern) == separate.map(\.bitPattern), "\(window)")

        let outputGradient = randomValues(window.outputCount, seed: 14)
        var fusedGradient = [Float](repeating: .nan, count: window.imageCount)
        reluMaxPool2dInputGradient(window, outputGradient: outputGradient, output: fused, indices: fusedIndices,
                                   inputGradient: &fusedGradient)
        var pooledGradient = [Float](repeating: 0, count: window.imageCount)
        maxPool2dBackward(window, outputGradient: outputGradient, indices: separateIndices, inputGradient: &pooledGradient)
        let expected = zip(pooledGradient, rectified).map { $1 <= 0 ? 0 : $0 }
        #expect(fusedGradient.map(\.bitPattern) == expected.map(\.bitPattern), "\(window)")
    }
}

/// The 2×2 stride-2 kernels on output rows of 1 to 35 windows (groups of eight, of sixteen with
/// and without overlap, and one-window-at-a-time rows at the image's end), on images whose width
/// and height are even (tiling) or odd: values with ties, ±0, ±∞ and NaNs at scattered places,
/// and inputs whose ReLU is 0 everywhere in a window. Forward, fused ReLU forward and both
/// gradients against the naive references, bit for bit.
@Test func maxPool2x2MatchesReferenceOnEveryRowWidth() {
    var random = RandomGenerator(seed: 15)
    let specials: [Float] = [.nan, .infinity, -.infinity, -0.0, 0]
    for outputWidth in 1...35 {
        for (channels, height, extraColumn) in [(3, 6, 0), (2, 7, 1), (1, 2, 0)] {
            let window = Window2d(channels: channels, height: height, width: 2 * outputWidth + extraColumn,
                                  kernel: (2, 2), stride: (2, 2))
            for variant in 0..<3 {
                var image = (0..<window.imageCount).map { _ in Float(random.index(below: 4)) - 2 }
                if variant > 0 {
                    for _ in 0..<max(1, window.imageCount / 9) {
                        let special = specials[variant == 1 ? random.index(below: specials.count) : 1 + random.index(below: 4)]
                        image[random.index(below: image.count)] = special
                    }
                }
                let rectified = image.map { $0 < 0 ? 0 : $0 }
                for (fastKernel, referenceImage) in [(maxPool2d, image), (reluMaxPool2d, rectified)] {
                    var fast = [Float](repeating: 7, count: window.outputCount), reference = fast
                    var fastIndices = [Int32](repeating: -7, count: window.outputCount), referenceIndices = fastIndices
                    fastKernel(window, image, &fast, &fastIndices)
                    maxPool2dReference(window, image: referenceImage, output: &reference, indices: &referenceIndices)
                    #expect(fastIndices == referenceIndices, "\(window) variant \(variant)")
                    #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "\(window) variant \(variant)")

                    let outputGradient = (0..<window.outputCount).map { _ in random.uniform(-1, 1) }
                    var pooledGradient = [Float](repeating: 0, count: window.imageCount)
                    maxPool2dBackward(window, outputGradient: outputGradient, indices: referenceIndices, inputGradient: &pooledGradient)
                    var written = [Float](repeating: .nan, count: window.imageCount)
                    maxPool2dInputGradient(window, outputGradient: outputGradient, indices: fastIndices, inputGradient: &written)
                    #expect(written.map(\.bitPattern) == pooledGradient.map(\.bitPattern), "\(window) variant \(variant)")
                    var gated = [Float](repeating: .nan, count: window.imageCount)
                    reluMaxPool2dInputGradient(window, outputGradient: outputGradient, output: fast, indices: fastIndices,
                                               inputGradient: &gated)
                    let expected = zip(pooledGradient, referenceImage).map { (gradient: Float, input: Float) in
                        input <= 0 ? 0 : gradient
                    }
                    #expect(gated.map(\.bitPattern) == expected.map(\.bitPattern), "\(window) variant \(variant)")
                }
            }
        }
    }
}

@Test func avgPool2dMatchesReferenceAndBackwardIsItsAdjoint() {
    for window in poolingWindows where window.dilationHeight == 1 && window.dilationWidth == 1 {
        for countIncludePad in [true, false] {
            let image = randomValues(window.imageCount, seed: 9), outputGradient = randomValues(window.outputCount, seed: 10)
            var fast = [Float](repeating: 0, count: window.outputCount), reference = fast
            avgPool2d(window, countIncludePad: countIncludePad, image: image, output: &fast)
            avgPool2dReference(window, countIncludePad: countIncludePad, image: image, output: &reference)
            #expect(zip(fast, reference).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(window) countIncludePad \(countIncludePad)")

            var inputGradient = [Float](repeating: 0, count: window.imageCount)
            avgPool2dBackward(window, countIncludePad: countIncludePad, outputGradient: outputGradient,
                              inputGradient: &inputGradient)
            #expect(abs(dot(fast, outputGradient) - dot(image, inputGradient)) < 1e-4, "\(window)")
        }
    }
}

@Test func avgPool2dDivisorFollowsPyTorch() {
    // F.avg_pool2d(torch.arange(9.).reshape(1, 1, 3, 3), 2, 2, padding=1, ceil_mode=True,
    //              count_include_pad=True / False)
    // → [[0.0, 0.75], [2.25, 6.0]] and [[0.0, 1.5], [4.5, 6.0]]
    let image: [Float] = (0..<9).map(Float.init)
    let window = Window2d(channels: 1, height: 3, width: 3, kernel: (2, 2), stride: (2, 2), padding: (1, 1), ceilMode: true)
    var output = [Float](repeating: 0, count: 4)
    avgPool2d(window, countIncludePad: true, image: image, output: &output)
    #expect(output == [0, 0.75, 2.25, 6])
    avgPool2d(window, countIncludePad: false, image: image, output: &output)
    #expect(output == [0, 1.5, 4.5, 6])
}
