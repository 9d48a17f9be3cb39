import NNTensor
import Testing

/// Stride-1 windows over odd image sizes (padding, dilation, kernels wider than tall), and LeNet's.
private let strideOneWindows: [Window2d] = {
    var windows: [Window2d] = []
    for (height, width) in [(7, 9), (5, 37), (3, 2)] {
        for kernel in [(1, 1), (3, 3), (2, 5)] {
            for padding in [(0, 0), (1, 2)] {
                for dilation in [(1, 1), (2, 1)] {
                    let window = Window2d(channels: 3, height: height, width: width, kernel: kernel,
                                          padding: padding, dilation: dilation)
                    if window.outputHeight > 0 && window.outputWidth > 0 { windows.append(window) }
                }
            }
        }
    }
    return windows + [Window2d(channels: 1, height: 32, width: 32, kernel: (5, 5)),
                      Window2d(channels: 6, height: 14, width: 14, kernel: (5, 5))]
}()

/// Strided windows: every row phase read (3×3 and 7×7 with stride 2, as ResNets' downsampling and stem
/// convolutions; rows of 20 outputs, more than one vector), one phase of several (1×1 with stride 2,
/// 2×2 with stride 4, dilation 2 with stride 2), unequal strides, and padding wider than a stride.
private let stridedWindows: [Window2d] = [
    Window2d(channels: 3, height: 9, width: 11, kernel: (3, 3), stride: (2, 2), padding: (1, 1)),
    Window2d(channels: 2, height: 6, width: 40, kernel: (3, 3), stride: (2, 2), padding: (1, 1)),
    Window2d(channels: 2, height: 16, width: 16, kernel: (7, 7), stride: (2, 2), padding: (3, 3)),
    Window2d(channels: 4, height: 8, width: 7, kernel: (1, 1), stride: (2, 2)),
    Window2d(channels: 2, height: 13, width: 13, kernel: (2, 2), stride: (4, 4)),
    Window2d(channels: 2, height: 10, width: 9, kernel: (3, 2), stride: (2, 2), padding: (1, 0), dilation: (2, 1)),
    Window2d(channels: 3, height: 7, width: 12, kernel: (3, 5), stride: (1, 3), padding: (0, 2)),
    Window2d(channels: 2, height: 11, width: 5, kernel: (3, 3), stride: (3, 1), padding: (2, 1)),
    Window2d(channels: 1, height: 5, width: 5, kernel: (3, 3), stride: (2, 2), padding: (3, 3)),
]

/// The windows the forward pass and weight gradient are tested on.
private let directWindows = strideOneWindows + stridedWindows

private func randomValues(_ count: Int, seed: UInt64) -> [Float] {
    var random = RandomGenerator(seed: seed)
    return (0..<count).map { _ in random.uniform(-1, 1) }
}

private func expectClose(_ fast: [Float], _ reference: [Float], _ comment: Comment) {
    #expect(fast.count == reference.count, comment)
    let largest = zip(fast, reference).map { abs($0 - $1) }.max() ?? 0
    #expect(largest <= 1e-5 * Float(max(1, reference.map(abs).max() ?? 0)) * 8, comment)
}

private extension Window2d {
    var imageCount: Int { channels * height * width }
    var taps: Int { channels * kernelHeight * kernelWidth }
    var outputPlane: Int { outputHeight * outputWidth }
}

@Test func directConvolutionKnowsItsStrideAndRejectsUnfoldedImagesBeyondL2() throws {
    let strided = try #require(DirectConvolution(Window2d(channels: 1, height: 8, width: 8, kernel: (3, 3), stride: (1, 2))))
    #expect(!strided.hasUnitStride)
    #expect(try #require(DirectConvolution(Window2d(channels: 1, height: 8, width: 8, kernel: (3, 3)))).hasUnitStride)
    // 3 kernel columns × 2 phases × 64 channels × 29 rows × 28 columns = 311,808 floats.
    #expect(DirectConvolution(Window2d(channels: 64, height: 56, width: 56, kernel: (3, 3), stride: (2, 2), padding: (1, 1))) == nil)
    // 3 × 2 × 16 × 17 × 16 = 26,112 (the ResNet example's stride-2 convolution).
    let downsampling = try #require(DirectConvolution(Window2d(channels: 16, height: 32, width: 32, kernel: (3, 3),
                                                               stride: (2, 2), padding: (1, 1))))
    #expect(downsampling.unfoldedImageCount == 26_112)
    // A window without a stride (which Window2d gives an empty output) has no phases to unfold.
    #expect(DirectConvolution(Window2d(channels: 1, height: 8, width: 8, kernel: (3, 3), stride: (0, 1))) == nil)
}

/// `unfold` of several images at once, bit for bit the reference's unfolded images, with zeroed slack.
@Test func directUnfoldMatchesReference() throws {
    let images = 3
    let windows = directWindows + [Window2d(channels: 2, height: 4, width: 21, kernel: (2, 3), padding: (1, 0)),
                                      Window2d(channels: 2, height: 3, width: 17, kernel: (1, 2), padding: (2, 0), dilation: (3, 2)),
                                      // Padding wider than the image: the first kernel column's vectors start two rows in.
                                      Window2d(channels: 2, height: 3, width: 2, kernel: (3, 5), padding: (1, 3))]
    for (index, window) in windows.enumerated() {
        let direct = try #require(DirectConvolution(window))
        let batch = randomValues(images * window.imageCount, seed: 700 + UInt64(index))
        let unfoldedCount = direct.unfoldedImageCount
        var fast = [Float](repeating: .nan, count: images * unfoldedCount + DirectConvolution.readSlack)
        direct.unfold(count: images, images: batch, into: &fast)
        var reference = [Float](repeating: .nan, count: images * unfoldedCount + DirectConvolution.readSlack)
        batch.withUnsafeBufferPointer { batch in
            reference.withUnsafeMutableBufferPointer { reference in
                for image in 0..<images {
                    direct.unfoldReference(image: batch.baseAddress! + image * window.imageCount,
                                           into: reference.baseAddress! + image * unfoldedCount)
                }
                (reference.baseAddress! + images * unfoldedCount).update(repeating: 0, count: DirectConvolution.readSlack)
            }
        }
        #expect(fast == reference, "\(window)")
    }
}

/// `unfold(…readBy:…)` for each part of an output plane split in whole tiles (as a batch of one image is
/// split over threads) writes the rows that the part's outputs read as `unfold` writes them, and the
/// forward pass of those outputs over it gives the bits of the forward pass over the whole unfolded
/// image; two groups, as one image of a grouped convolution is unfolded.
@Test func directUnfoldOfTheRowsThatPositionsReadGivesTheirOutputs() throws {
    let groups = 2, outChannels = 7
    let windows = directWindows + [Window2d(channels: 4, height: 32, width: 32, kernel: (3, 3), padding: (1, 1)),
                                   Window2d(channels: 4, height: 32, width: 32, kernel: (3, 3), stride: (2, 2), padding: (1, 1)),
                                   Window2d(channels: 2, height: 19, width: 23, kernel: (5, 3), padding: (2, 1), dilation: (1, 2))]
    for (index, window) in windows.enumerated() {
        let direct = try #require(DirectConvolution(window))
        let image = randomValues(groups * window.imageCount, seed: 900 + UInt64(index))
        let weights = randomValues(outChannels * window.taps, seed: 950 + UInt64(index))
        let unfoldedCount = groups * direct.unfoldedImageCount + DirectConvolution.readSlack
        var whole = [Float](repeating: .nan, count: unfoldedCount)
        direct.unfold(count: groups, images: image, into: &whole)
        var expected = [Float](repeating: .nan, count: outChannels * window.outputPlane)
        direct.forward(unfolded: whole, weights: weights, outChannels: outChannels, bias: nil, output: &expected)
        let tiles = direct.tileCount
        for parts in 1...min(3, tiles) {
            var output = [Float](repeating: .nan, count: outChannels * window.outputPlane)
            for part in 0..<parts {
                let positions = direct.positions(ofTiles: part * tiles / parts..<(part + 1) * tiles / parts)
                var unfolded = [Float](repeating: .nan, count: unfoldedCount)
                direct.unfold(count: groups, images: image, readBy: positions, into: &unfolded)
                // Output row oh reads rows oh ... oh + lastShift of every plane of R rows.
                let lastShift = (window.kernelHeight - 1) * window.dilationHeight / window.strideHeight
                let planeFloats = (window.outputHeight + lastShift) * window.outputWidth
                let rows = positions.lowerBound / window.outputWidth..<(positions.upperBound - 1) / window.outputWidth + 1 + lastShift
                for plane in 0..<groups * direct.unfoldedImageCount / planeFloats {
                    let start = plane * planeFloats
                    let written = start + rows.lowerBound * window.outputWidth..<start + rows.upperBound * window.outputWidth
                    #expect(unfolded[written] == whole[written], "\(window), part \(part) of \(parts), plane \(plane)")
                }
                direct.forward(unfolded: unfolded, weights: weights, outChannels: outChannels, bias: nil, output: &output,
                               positions: positions)
            }
            #expect(output.map(\.bitPattern) == expected.map(\.bitPattern), "\(window) in \(parts) parts")
        }
    }
}

@Test(arguments: [1, 7, 16])
func directForwardMatchesReference(outChannels: Int) throws {
    for (index, window) in directWindows.enumerated() {
        let direct = try #require(DirectConvolution(window))
        let image = randomValues(window.imageCount, seed: UInt64(index))
        let weights = randomValues(outChannels * window.taps, seed: 100 + UInt64(index))
        let bias = randomValues(outChannels, seed: 200)
        var unfolded = [Float](repeating: .nan, count: direct.unfoldedImageCount + DirectConvolution.readSlack)
        direct.unfold(count: 1, images: image, into: &unfolded)
        for withBias in [false, true] {
            var fast = [Float](repeating: .nan, count: outChannels * window.outputPlane), reference = fast
            bias.withUnsafeBufferPointer { bias in
                direct.forward(unfolded: unfolded, weights: weights, outChannels: outChannels,
                               bias: withBias ? bias.baseAddress : nil, output: &fast)
                convolutionReference(window, image: image, weights: weights, outChannels: outChannels,
                                     bias: withBias ? bias.baseAddress : nil, output: &reference)
            }
            expectClose(fast, reference, "\(window), \(outChannels) out channels, bias \(withBias)")
        }
    }
}

@Test(arguments: [1, 7, 16])
func directWeightGradientMatchesReference(outChannels: Int) throws {
    let images = 3
    for (index, window) in directWindows.enumerated() {
        let direct = try #require(DirectConvolution(window))
        let batch = randomValues(images * window.imageCount, seed: UInt64(index))
        let outputGradient = randomValues(images * outChannels * window.outputPlane, seed: 300 + UInt64(index))
        let start = randomValues(outChannels * window.taps, seed: 400)
        var unfolded = [Float](repeating: .nan, count: images * direct.unfoldedImageCount + DirectConvolution.readSlack)
        direct.unfold(count: images, images: batch, into: &unfolded)
        let expandedImage = outChannels * direct.expandedGradientCount
        var expanded = [Float](repeating: .nan, count: images * expandedImage)
        var channelSums = [Float](repeating: 1, count: outChannels)
        for image in 0..<images {
            outputGradient.withUnsafeBufferPointer { dy in
                expanded.withUnsafeMutableBufferPointer { expanded in
                    direct.expandOutputGradient(dy.baseAddress! + image * outChannels * window.outputPlane,
                                                outChannels: outChannels, into: expanded.baseAddress! + image * expandedImage)
                    direct.addChannelSums(of: expanded.baseAddress! + image * expandedImage, outChannels: outChannels,
                                          to: &channelSums)
                }
            }
        }
        let expectedSums = (0..<outChannels).map { channel in
            1 + (0..<images).map { image in
                let start = (image * outChannels + channel) * window.outputPlane
                return outputGradient[start..<(start + window.outputPlane)].reduce(0, +)
            }.reduce(0, +)
        }
        expectClose(channelSums, expectedSums, "channel sums \(window), \(outChannels) out channels")
        var fast = start, reference = start
        direct.accumulateWeightGradient(images: images, unfolded: unfolded, unfoldedStride: direct.unfoldedImageCount,
                                        expanded: expanded, expandedStride: expandedImage, outChannels: outChannels,
                                        weightGradient: &fast)
        batch.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { dy in
                for image in 0..<images {
                    convolutionWeightGradientReference(window, image: x.baseAddress! + image * window.imageCount,
                                                       outputGradient: dy.baseAddress! + image * outChannels * window.outputPlane,
                                                       outChannels: outChannels, weightGradient: &reference)
                }
            }
        }
        expectClose(fast, reference, "\(window), \(outChannels) out channels")

        // The same images one per call, the sums carried between the calls.
        var passed = start
        var sums = [Float](repeating: .nan, count: direct.weightGradientSumsCount(outChannels: outChannels))
        unfolded.withUnsafeBufferPointer { unfolded in
            expanded.withUnsafeBufferPointer { expanded in
                sums.withUnsafeMutableBufferPointer { sums in
                    for image in 0..<images {
                        direct.accumulateWeightGradient(
                            images: 1, unfolded: unfolded.baseAddress! + image * direct.unfoldedImageCount, unfoldedStride: 0,
                            expanded: expanded.baseAddress! + image * expandedImage, expandedStride: 0,
                            outChannels: outChannels, weightGradient: &passed,
                            pass: .init(sums: sums.baseAddress!, isFirst: image == 0, isLast: image == images - 1))
                    }
                }
            }
        }
        expectClose(passed, reference, "in passes: \(window), \(outChannels) out channels")
    }
}

/// With OH · OW a multiple of 16, dY [N, OC, OH, OW] is already expanded: read in place, with the
/// channel sums of `addChannelSums`, it gives the bits of the copies `expandOutputGradient` makes
/// and of their channel sums.
@Test func directWeightGradientReadsExpandedOutputGradientInPlace() throws {
    let images = 2, outChannels = 7
    for window in [Window2d(channels: 3, height: 6, width: 6, kernel: (3, 3)),
                   Window2d(channels: 1, height: 32, width: 32, kernel: (5, 5)),
                   Window2d(channels: 2, height: 5, width: 7, kernel: (2, 4), padding: (1, 2))] {
        let direct = try #require(DirectConvolution(window))
        #expect(direct.outputGradientIsExpanded == (window.outputPlane % 16 == 0), "\(window)")
        guard direct.outputGradientIsExpanded else { continue }
        let batch = randomValues(images * window.imageCount, seed: 800)
        let outputGradient = randomValues(images * outChannels * window.outputPlane, seed: 801)
        var unfolded = [Float](repeating: .nan, count: images * direct.unfoldedImageCount + DirectConvolution.readSlack)
        direct.unfold(count: images, images: batch, into: &unfolded)
        let imageGradient = outChannels * window.outputPlane
        var expanded = [Float](repeating: .nan, count: images * imageGradient)
        var copiedSums = [Float](repeating: 0.5, count: outChannels), inPlaceSums = copiedSums
        outputGradient.withUnsafeBufferPointer { dy in
            for image in 0..<images {
                expanded.withUnsafeMutableBufferPointer { expanded in
                    direct.expandOutputGradient(dy.baseAddress! + image * imageGradient, outChannels: outChannels,
                                                into: expanded.baseAddress! + image * imageGradient)
                    direct.addChannelSums(of: expanded.baseAddress! + image * imageGradient, outChannels: outChannels,
                                          to: &copiedSums)
                }
                direct.addChannelSums(of: dy.baseAddress! + image * imageGradient, outChannels: outChannels, to: &inPlaceSums)
            }
        }
        #expect(inPlaceSums == copiedSums, "\(window)")
        let start = randomValues(outChannels * window.taps, seed: 802)
        var copied = start, inPlace = start
        direct.accumulateWeightGradient(images: images, unfolded: unfolded, unfoldedStride: direct.unfoldedImageCount,
                                        expanded: expanded, expandedStride: imageGradient, outChannels: outChannels,
                                        weightGradient: &copied)
        direct.accumulateWeightGradient(images: images, unfolded: unfolded, unfoldedStride: direct.unfoldedImageCount,
                                        expanded: outputGradient, expandedStride: imageGradient, outChannels: outChannels,
                                        weightGradient: &inPlace)
        #expect(inPlace == copied, "\(window)")
    }
}

/// The references against im2col + the reference SGEMM, on strided windows too.
@Test func convolutionReferencesAgreeWithIm2colProducts() {
    let outChannels = 5
    let windows = strideOneWindows + [Window2d(channels: 2, height: 9, width: 8, kernel: (3, 2), stride: (2, 3), padding: (1, 1)),
                                      Window2d(channels: 2, height: 9, width: 8, kernel: (2, 2), stride: (3, 1), dilation: (2, 2))]
    for window in windows {
        let image = randomValues(window.imageCount, seed: 1), weights = randomValues(outChannels * window.taps, seed: 2)
        let outputGradient = randomValues(outChannels * window.outputPlane, seed: 3)
        var columns = [Float](repeating: 0, count: window.taps * window.outputPlane)
        im2colReference(window, image: image, columns: &columns)
        var product = [Float](repeating: 0, count: outChannels * window.outputPlane), reference = product
        sgemmReference(.none, .none, m: outChannels, n: window.outputPlane, k: window.taps, alpha: 1, a: weights,
                       lda: window.taps, b: columns, ldb: window.outputPlane, beta: 0, c: &product, ldc: window.outputPlane)
        convolutionReference(window, image: image, weights: weights, outChannels: outChannels, bias: nil, output: &reference)
        expectClose(reference, product, "forward \(window)")

        var gradientProduct = [Float](repeating: 0, count: outChannels * window.taps), gradient = gradientProduct
        sgemmReference(.none, .transposed, m: outChannels, n: window.taps, k: window.outputPlane, alpha: 1, a: outputGradient,
                       lda: window.outputPlane, b: columns, ldb: window.outputPlane, beta: 0, c: &gradientProduct, ldc: window.taps)
        convolutionWeightGradientReference(window, image: image, outputGradient: outputGradient, outChannels: outChannels,
                                           weightGradient: &gradient)
        expectClose(gradient, gradientProduct, "weight gradient \(window)")

        var transposedProduct = [Float](repeating: 0, count: window.taps * window.outputPlane)
        sgemmReference(.transposed, .none, m: window.taps, n: window.outputPlane, k: outChannels, alpha: 1, a: weights,
                       lda: window.taps, b: outputGradient, ldb: window.outputPlane, beta: 0, c: &transposedProduct,
                       ldc: window.outputPlane)
        var folded = [Float](repeating: 0, count: window.imageCount), inputGradient = folded
        col2imReference(window, columns: transposedProduct, image: &folded)
        convolutionInputGradientReference(window, outputGradient: outputGradient, weights: weights, outChannels: outChannels,
                                          inputGradient: &inputGradient)
        expectClose(inputGradient, folded, "input gradient \(window)")
    }
}

/// Stride-1 windows for the input gradient: the shared ones, more input channels than one block of
/// six, and padding wider than the kernel reaches (input columns no output reads).
private let inputGradientWindows = strideOneWindows + [
    Window2d(channels: 7, height: 4, width: 21, kernel: (2, 3), padding: (1, 0)),
    Window2d(channels: 2, height: 1, width: 3, kernel: (1, 2), padding: (2, 0), dilation: (3, 2)),
]

/// `inputGradient` for `images` images of `window`, all the parts of the split for `threads`
/// threads, last part first (a part must not write another's rows, which may be done before it),
/// with dY and dX `extra` floats between images, dX's filled with NaN beforehand; and the naive
/// reference.
private func inputGradients(_ window: Window2d, images: Int, threads: Int, outChannels: Int, extra: Int,
                            seed: UInt64) throws -> (fast: [Float], reference: [Float]) {
    let direct = try #require(DirectConvolution(window))
    let outputStride = outChannels * window.outputPlane + extra, inputStride = window.imageCount + extra
    let outputGradient = randomValues(images * outputStride, seed: 500 + seed)
    let weights = randomValues(outChannels * window.taps, seed: 600 + seed)
    var fast = [Float](repeating: .nan, count: images * inputStride), reference = fast
    var scratch = [Float](repeating: .nan, count: direct.inputGradientScratchCount(outChannels: outChannels))
    let parts = direct.inputGradientParts(batch: images, outChannels: outChannels, threads: threads)
    for part in (0..<parts.count).reversed() {
        direct.inputGradient(part: part, of: parts, outputGradients: outputGradient, outputGradientStride: outputStride,
                             weights: weights, outChannels: outChannels, inputGradients: &fast,
                             inputGradientStride: inputStride, scratch: &scratch)
    }
    outputGradient.withUnsafeBufferPointer { dy in
        reference.withUnsafeMutableBufferPointer { dx in
            for image in 0..<images {
                (dx.baseAddress! + image * inputStride).update(repeating: 0, count: window.imageCount)
                convolutionInputGradientReference(window, outputGradient: dy.baseAddress! + image * outputStride,
                                                  weights: weights, outChannels: outChannels,
                                                  inputGradient: dx.baseAddress! + image * inputStride)
            }
        }
    }
    return (fast, reference)
}

/// 1 and 3 images go image by image; 16 across images (for 3 threads, cut into ranges of input
/// rows); 35 as two groups of 16 and 3 images image by image. The floats between images stay
/// untouched (NaN in both).
@Test(arguments: [1, 7, 16], [1, 3, 16, 35])
func strideOneInputGradientMatchesReference(outChannels: Int, images: Int) throws {
    for (index, window) in inputGradientWindows.enumerated() {
        for threads in images == 16 ? [1, 3] : [1] {
            let (fast, reference) = try inputGradients(window, images: images, threads: threads, outChannels: outChannels,
                                                       extra: 3, seed: UInt64(index))
            var largest: Float = 0, scale: Float = 1, gapsKept = true
            for index in reference.indices {
                if reference[index].isNaN {
                    gapsKept = gapsKept && fast[index].isNaN
                } else {
                    largest = max(largest, abs(fast[index] - reference[index]))
                    scale = max(scale, abs(reference[index]))
                }
            }
            let comment: Comment = "\(window), \(outChannels) out channels, \(images) images, \(threads) threads"
            #expect(gapsKept, comment)
            #expect(largest <= 8e-5 * scale, comment)
        }
    }
}

/// An image's input gradient is the same to the bit across 16 images (one per lane) as alone
/// (image by image), so the split of a batch into parts does not change it.
@Test func strideOneInputGradientIsTheSameAcrossImagesAndAlone() throws {
    let outChannels = 7
    for (index, window) in inputGradientWindows.enumerated() {
        let direct = try #require(DirectConvolution(window))
        let outputGradient = randomValues(16 * outChannels * window.outputPlane, seed: 700 + UInt64(index))
        let weights = randomValues(outChannels * window.taps, seed: 800 + UInt64(index))
        var scratch = [Float](repeating: 0, count: direct.inputGradientScratchCount(outChannels: outChannels))
        var together = [Float](repeating: 0, count: 16 * window.imageCount), alone = together
        let group = direct.inputGradientParts(batch: 16, outChannels: outChannels, threads: 1)
        let single = direct.inputGradientParts(batch: 1, outChannels: outChannels, threads: 1)
        #expect(group.count == 1 && single.count == 1)
        direct.inputGradient(part: 0, of: group, outputGradients: outputGradient,
                             outputGradientStride: outChannels * window.outputPlane, weights: weights, outChannels: outChannels,
                             inputGradients: &together, inputGradientStride: window.imageCount, scratch: &scratch)
        outputGradient.withUnsafeBufferPointer { dy in
            alone.withUnsafeMutableBufferPointer { dx in
                for image in 0..<16 {
                    direct.inputGradient(part: 0, of: single,
                                         outputGradients: dy.baseAddress! + image * outChannels * window.outputPlane,
                                         outputGradientStride: 0, weights: weights, outChannels: outChannels,
                                         inputGradients: dx.baseAddress! + image * window.imageCount, inputGradientStride: 0,
                                         scratch: &scratch)
                }
            }
        }
        #expect(together == alone, "\(window)")
    }
}

/// Where 16 images' transposed dY would not stay in L2 (38 × 40 positions × 16 channels × 16
/// images > 2¹⁷ floats), the images go image by image, in up to 8 parts.
@Test func strideOneInputGradientOfLargeImagesGoesImageByImage() throws {
    let window = Window2d(channels: 2, height: 40, width: 40, kernel: (3, 3)), outChannels = 16
    let direct = try #require(DirectConvolution(window))
    #expect(direct.inputGradientParts(batch: 16, outChannels: outChannels, threads: 2).count == 8)
    #expect(direct.inputGradientParts(batch: 16, outChannels: 4, threads: 2).count == 2)
    let (fast, reference) = try inputGradients(window, images: 16, threads: 2, outChannels: outChannels, extra: 0, seed: 9)
    expectClose(fast, reference, "\(window)")
}

/// An empty batch has no parts, and part 0 (which the worker pool runs for an empty loop) writes nothing.
@Test func strideOneInputGradientOfNoImages() throws {
    let window = Window2d(channels: 6, height: 14, width: 14, kernel: (5, 5))
    let direct = try #require(DirectConvolution(window))
    let parts = direct.inputGradientParts(batch: 0, outChannels: 16, threads: 2)
    #expect(parts.count == 0)
    var scratch = [Float](repeating: 0, count: direct.inputGradientScratchCount(outChannels: 16))
    var untouched: [Float] = [1]
    direct.inputGradient(part: 0, of: parts, outputGradients: [], outputGradientStride: 1600,
                         weights: [Float](repeating: 1, count: 2400), outChannels: 16, inputGradients: &untouched,
                         inputGradientStride: 1176, scratch: &scratch)
    #expect(untouched == [1])
}
