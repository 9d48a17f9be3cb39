import Testing
@testable import NNTensor

// The batch loops (ConvolutionKernels.swift, ConvolutionReLUMaxPooling.swift, PoolingKernels.swift)
// against the naive per-image references, on batches that split into several parts (11 images:
// more than `WorkerPool.fixedParts`, so part p > 0 sums into its own partial gradients).

/// Floats at a stable address for the kernels' pointers; freed with the value.
private final class Floats {
    let pointer: UnsafeMutablePointer<Float>, count: Int

    init(_ values: [Float]) {
        count = values.count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(from: values, count: count)
    }

    convenience init(repeating value: Float, count: Int) { self.init([Float](repeating: value, count: count)) }

    convenience init(random count: Int, seed: UInt64) {
        var random = RandomGenerator(seed: seed)
        self.init((0..<count).map { _ in random.uniform(-1, 1) })
    }

    var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    deinit { pointer.deallocate() }
}

/// Expects `fast` within float rounding of `reference` (sums of up to a few hundred terms in another order).
private func expectClose(_ fast: Floats, _ reference: Floats, _ comment: Comment) {
    let largest = zip(fast.values, reference.values).map { abs($0 - $1) }.max() ?? 0
    let scale = max(1, reference.values.map(abs).max() ?? 0)
    #expect(largest <= 1e-5 * scale, comment)
}

/// Convolutions: over 11 images, stride 1 with groups (the direct kernels), another stride with
/// dilation and groups (the direct forward and weight gradient, col2im for the input gradient), and
/// LeNet's first layer; over 9 images, two groups of 64 channels over 28×28, too large to unfold whole
/// (im2col + SGEMM); then small output planes (`ImageBlockConvolution`, `smallPlaneShapes`).
private func convolutionShapes() -> [ConvolutionShape] { [
    ConvolutionShape(window: Window2d(channels: 2, height: 9, width: 7, kernel: (3, 3), padding: (1, 1)),
                     batch: 11, outChannels: 6, groups: 2),
    ConvolutionShape(window: Window2d(channels: 2, height: 9, width: 8, kernel: (2, 3), stride: (2, 1), padding: (1, 0),
                                      dilation: (1, 2)),
                     batch: 11, outChannels: 6, groups: 2),
    ConvolutionShape(window: Window2d(channels: 1, height: 32, width: 32, kernel: (5, 5)), batch: 11, outChannels: 6, groups: 1),
    ConvolutionShape(window: Window2d(channels: 64, height: 28, width: 28, kernel: (3, 3), padding: (1, 1)),
                     batch: 9, outChannels: 4, groups: 2),
] + smallPlaneShapes() }

/// Convolutions with one group and output planes below 64 positions, computed by image blocks:
/// 3×3 stride 1 padded over 5×5 (25 positions: blocks of 10 and 1 images), 3×3 stride 2 over 7×9
/// (4×5: 12 and 1), 1×1 stride 2 over 7×7 (4×4: one block of 11), 1×1 stride 1 over 3×5 (17 and 2),
/// and a stride-2 plane of 8×8, which no stride-1 kernel could take (4, 4 and 1).
private func smallPlaneShapes() -> [ConvolutionShape] { [
    ConvolutionShape(window: Window2d(channels: 3, height: 5, width: 5, kernel: (3, 3), padding: (1, 1)),
                     batch: 11, outChannels: 5, groups: 1),
    ConvolutionShape(window: Window2d(channels: 3, height: 7, width: 9, kernel: (3, 3), stride: (2, 2), padding: (1, 1)),
                     batch: 13, outChannels: 4, groups: 1),
    ConvolutionShape(window: Window2d(channels: 6, height: 7, width: 7, kernel: (1, 1), stride: (2, 2)),
                     batch: 11, outChannels: 7, groups: 1),
    ConvolutionShape(window: Window2d(channels: 5, height: 3, width: 5, kernel: (1, 1)), batch: 19, outChannels: 3, groups: 1),
    ConvolutionShape(window: Window2d(channels: 3, height: 16, width: 15, kernel: (3, 3), stride: (2, 2), padding: (1, 1)),
                     batch: 9, outChannels: 5, groups: 1),
] }

extension ConvolutionShape {
    fileprivate var inputCount: Int { batch * groups * window.channels * inputPlane }
    fileprivate var weightCount: Int { outChannels * columnRows }
    fileprivate var outputCount: Int { batch * outChannels * outputPlane }
}

@Test(arguments: 0..<9)
func convolutionBatchLoopsMatchReference(index: Int) {
    let shape = convolutionShapes()[index], groupOut = shape.groupOutChannels
    let seed = UInt64(index * 10)
    let x = Floats(random: shape.inputCount, seed: seed + 1), w = Floats(random: shape.weightCount, seed: seed + 2)
    let b = Floats(random: shape.outChannels, seed: seed + 3), dy = Floats(random: shape.outputCount, seed: seed + 4)

    let y = Floats(repeating: .nan, count: shape.outputCount), dx = Floats(repeating: .nan, count: shape.inputCount)
    let dw = Floats(repeating: 0.5, count: shape.weightCount), db = Floats(repeating: -1, count: shape.outChannels)
    shape.forward(x: x.pointer, w: w.pointer, b: b.pointer, y: y.pointer)
    shape.accumulateWeightGradient(x: x.pointer, dy: dy.pointer, dw: dw.pointer, db: db.pointer)
    shape.inputGradient(w: w.pointer, dy: dy.pointer, dx: dx.pointer)

    let yReference = Floats(repeating: .nan, count: shape.outputCount), dxReference = Floats(repeating: 0, count: shape.inputCount)
    let dwReference = Floats(repeating: 0.5, count: shape.weightCount), dbReference = Floats(repeating: -1, count: shape.outChannels)
    for image in 0..<shape.batch {
        for group in 0..<shape.groups {
            let (input, weights, output) = (shape.inputOffset(image, group), shape.weightOffset(group), shape.outputOffset(image, group))
            convolutionReference(shape.window, image: x.pointer + input, weights: w.pointer + weights, outChannels: groupOut,
                                 bias: b.pointer + group * groupOut, output: yReference.pointer + output)
            convolutionWeightGradientReference(shape.window, image: x.pointer + input, outputGradient: dy.pointer + output,
                                               outChannels: groupOut, weightGradient: dwReference.pointer + weights)
            convolutionInputGradientReference(shape.window, outputGradient: dy.pointer + output, weights: w.pointer + weights,
                                              outChannels: groupOut, inputGradient: dxReference.pointer + input)
        }
        for channel in 0..<shape.outChannels {
            let plane = dy.pointer + shape.outputOffset(image, 0) + channel * shape.outputPlane
            dbReference.pointer[channel] += (0..<shape.outputPlane).reduce(0) { $0 + plane[$1] }
        }
    }
    expectClose(y, yReference, "forward \(index)")
    expectClose(dw, dwReference, "weight gradient \(index)")
    expectClose(db, dbReference, "bias gradient \(index)")
    expectClose(dx, dxReference, "input gradient \(index)")
}

/// The small planes take the image-block path, in blocks of up to 256 columns, and its results
/// (the stride-1 backward's `accumulateGradients` included) have the same bits on one thread and two.
@Test(arguments: 0..<5)
func imageBlockConvolutionIsTheSameOnOneAndTwoThreads(index: Int) throws {
    let shape = smallPlaneShapes()[index]
    let blocks = try #require(ImageBlockConvolution(shape))
    #expect(blocks.imagesPerBlock == 256 / shape.outputPlane || blocks.imagesPerBlock == shape.batch)
    let x = Floats(random: shape.inputCount, seed: 70), w = Floats(random: shape.weightCount, seed: 71)
    let b = Floats(random: shape.outChannels, seed: 72), dy = Floats(random: shape.outputCount, seed: 73)
    func run(threads: Int) -> [[Float]] {
        let pool = WorkerPool.shared, saved = pool.threadCount
        pool.threadCount = threads
        defer { pool.threadCount = saved }
        let y = Floats(repeating: .nan, count: shape.outputCount), dx = Floats(repeating: .nan, count: shape.inputCount)
        let dw = Floats(repeating: 0.5, count: shape.weightCount), db = Floats(repeating: -1, count: shape.outChannels)
        shape.forward(x: x.pointer, w: w.pointer, b: b.pointer, y: y.pointer)
        shape.accumulateGradients(x: x.pointer, w: w.pointer, dy: dy.pointer, dw: dw.pointer, db: db.pointer, dx: dx.pointer)
        return [y.values, dw.values, db.values, dx.values]
    }
    let one = run(threads: 1), two = run(threads: 2)
    #expect(one == two)
    #expect(!one.joined().contains { $0.isNaN })
}

/// The image blocks' gathering unfold and fold give `im2col`'s columns and `col2im`'s sums bit for
/// bit, for a block that does not start at image 0, on the small planes and on a dilated window
/// whose padding is wider than the image (taps that read nothing but padding); the fold leaves the
/// other images' dx alone.
@Test(arguments: 0..<6)
func imageBlockUnfoldAndFoldAreIm2colAndCol2im(index: Int) throws {
    let dilated = ConvolutionShape(window: Window2d(channels: 2, height: 3, width: 4, kernel: (3, 3), stride: (2, 1),
                                                    padding: (3, 2), dilation: (2, 3)),
                                   batch: 9, outChannels: 2, groups: 1)
    let shape = (smallPlaneShapes() + [dilated])[index]
    let blocks = try #require(ImageBlockConvolution(shape))
    let images = 2..<min(shape.batch, 7), plane = shape.outputPlane, width = images.count * plane
    let x = Floats(random: shape.inputCount, seed: 80 + UInt64(index))
    let columns = Floats(repeating: .nan, count: shape.columnRows * width)
    blocks.unfold(images, x: x.pointer, into: columns.pointer)
    let own = Floats(repeating: .nan, count: shape.columnRows * plane)
    var expected = [Float](repeating: .nan, count: columns.count)
    for image in images {
        im2col(shape.window, image: x.pointer + shape.inputOffset(image, 0), columns: own.pointer)
        for row in 0..<shape.columnRows {
            for position in 0..<plane {
                expected[row * width + (image - images.lowerBound) * plane + position] = own.pointer[row * plane + position]
            }
        }
    }
    #expect(columns.values.map(\.bitPattern) == expected.map(\.bitPattern))

    let gradients = Floats(random: columns.count, seed: 90 + UInt64(index))
    let dx = Floats(repeating: .nan, count: shape.inputCount)
    blocks.fold(images, columns: gradients.pointer, into: dx.pointer)
    let dxExpected = Floats(repeating: .nan, count: shape.inputCount), imageSize = shape.window.channels * shape.inputPlane
    for image in images {
        for row in 0..<shape.columnRows {
            for position in 0..<plane {
                own.pointer[row * plane + position] = gradients.pointer[row * width + (image - images.lowerBound) * plane + position]
            }
        }
        (dxExpected.pointer + image * imageSize).update(repeating: 0, count: imageSize)
        col2im(shape.window, columns: own.pointer, image: dxExpected.pointer + shape.inputOffset(image, 0))
    }
    #expect(dx.values.map(\.bitPattern) == dxExpected.values.map(\.bitPattern))
}

/// The forward pass's bands: ResNet-18's 64-channel 3×3 convolution over 56×56 unfolds to 623,616
/// floats, beyond L2, and runs in bands of 7 of its 49 tiles (8 output rows, which read 10 rows of
/// each of its 192 planes: 107,520 floats); an image that fits is one band; 512 channels over 28×28,
/// where one output row already reads 3 rows of 1,536 planes, have no direct forward pass.
@Test func forwardPassBandsKeepTheirUnfoldedRowsInL2() throws {
    let window = Window2d(channels: 64, height: 56, width: 56, kernel: (3, 3), padding: (1, 1))
    let direct = try #require(DirectConvolution(forwardInBandsOf: window))
    #expect(DirectConvolution(window) == nil)
    #expect(direct.unfoldedImageCount == 623_616)
    #expect(direct.tileCount == 49 && direct.bandTiles == 7)
    let small = try #require(DirectConvolution(Window2d(channels: 16, height: 32, width: 32, kernel: (3, 3), padding: (1, 1))))
    #expect(small.bandTiles == small.tileCount)
    #expect(DirectConvolution(forwardInBandsOf: Window2d(channels: 512, height: 28, width: 28, kernel: (3, 3), padding: (1, 1))) == nil)
}

/// With fewer images than threads, the forward pass splits each image over the pool: the direct
/// kernel its output positions in whole tiles (20×13 outputs: 4 tiles of 64 and one of 4; stride 2:
/// 10×7 in two tiles; 64 channels over 28×28, whose unfolded image is too large for L2, in bands of
/// 9 tiles), or its output channels when there are fewer tiles than two per thread (7×7 outputs, one
/// tile); im2col its channels (64 channels over 4×200, whose output rows are too wide for a band). On one
/// image, two groups of 7 output channels with a bias, all give the reference's values and the same
/// bits on one thread and two; a convolution this small runs on the calling thread alone (`forward`),
/// with the same bits again.
@Test(arguments: [(1, 3, 20, 13), (2, 5, 20, 13), (1, 64, 28, 28), (1, 6, 7, 7), (1, 64, 4, 200)])
func forwardOfOneImageIsTheSameOnOneAndTwoThreads(stride: Int, channels: Int, height: Int, width: Int) throws {
    let shape = ConvolutionShape(window: Window2d(channels: channels, height: height, width: width, kernel: (3, 3),
                                                  stride: (stride, stride), padding: (1, 1)),
                                 batch: 1, outChannels: 14, groups: 2)
    #expect((DirectConvolution(shape.window) != nil) == (channels < 64))
    #expect((DirectConvolution(forwardInBandsOf: shape.window) != nil) == (width < 200))
    let x = Floats(random: shape.inputCount, seed: 80), w = Floats(random: shape.weightCount, seed: 81)
    let b = Floats(random: shape.outChannels, seed: 82)
    #expect(shape.outputCount * shape.columnRows < ConvolutionShape.smallestSplitImage)
    func forward(threads: Int, overPool: Bool) -> Floats {
        let pool = WorkerPool.shared, saved = pool.threadCount
        pool.threadCount = threads
        defer { pool.threadCount = saved }
        let y = Floats(repeating: .nan, count: shape.outputCount)
        if overPool {
            shape.forwardOverPool(x: x.pointer, w: w.pointer, b: b.pointer, y: y.pointer)
        } else {
            shape.forward(x: x.pointer, w: w.pointer, b: b.pointer, y: y.pointer)
        }
        return y
    }
    let one = forward(threads: 1, overPool: true), two = forward(threads: 2, overPool: true)
    #expect(one.values == two.values)
    #expect(forward(threads: 2, overPool: false).values == two.values)
    let reference = Floats(repeating: .nan, count: shape.outputCount)
    for group in 0..<shape.groups {
        convolutionReference(shape.window, image: x.pointer + shape.inputOffset(0, group), weights: w.pointer + shape.weightOffset(group),
                             outChannels: shape.groupOutChannels, bias: b.pointer + group * shape.groupOutChannels,
                             output: reference.pointer + shape.outputOffset(0, group))
    }
    expectClose(two, reference, "forward of one image")
}

/// Stride-1 convolutions followed by ReLU and a max pool: LeNet's (2×2 windows tiling a 28×28
/// output, a multiple of 16 positions) and overlapping 3×3 windows over a 7×9 output.
private func fusedCases() -> [(convolution: ConvolutionShape, pooling: Window2d)] { [
    (convolutionShapes()[2], Window2d(channels: 6, height: 28, width: 28, kernel: (2, 2), stride: (2, 2))),
    (convolutionShapes()[0], Window2d(channels: 6, height: 9, width: 7, kernel: (3, 3), stride: (2, 2))),
] }

/// The fused forward pass gives the bits and indices of the convolution, then the batch ReLU and max
/// pool; the weight gradient routed image by image through the pooling (`.pooled`) gives the bits of
/// the gradient routed for the whole batch first (`.stored`).
@Test(arguments: 0..<2)
func convolutionReLUMaxPoolingIsItsParts(index: Int) throws {
    let (shape, pooling) = fusedCases()[index]
    let direct = try #require(DirectConvolution(shape.window))
    let pooledCount = shape.batch * pooling.channels * pooling.outputHeight * pooling.outputWidth
    let x = Floats(random: shape.inputCount, seed: 50), w = Floats(random: shape.weightCount, seed: 51)
    let b = Floats(random: shape.outChannels, seed: 52), pooledGradient = Floats(random: pooledCount, seed: 53)

    let pooled = Floats(repeating: .nan, count: pooledCount)
    let indices = UnsafeMutablePointer<Int32>.allocate(capacity: pooledCount)
    defer { indices.deallocate() }
    shape.reluMaxPoolForward(direct, x: x.pointer, w: w.pointer, b: b.pointer, pooling: pooling, pooled: pooled.pointer,
                             indices: indices)
    let y = Floats(repeating: .nan, count: shape.outputCount), pooledApart = Floats(repeating: .nan, count: pooledCount)
    let indicesApart = UnsafeMutablePointer<Int32>.allocate(capacity: pooledCount)
    defer { indicesApart.deallocate() }
    shape.forward(x: x.pointer, w: w.pointer, b: b.pointer, y: y.pointer)
    maxPool2d(pooling, batch: shape.batch, input: y.pointer, output: pooledApart.pointer, indices: indicesApart, rectifying: true)
    #expect(pooled.values == pooledApart.values)
    #expect(Array(UnsafeBufferPointer(start: indices, count: pooledCount)) == Array(UnsafeBufferPointer(start: indicesApart, count: pooledCount)))

    let (dw, db) = (Floats(repeating: 0.25, count: shape.weightCount), Floats(repeating: 2, count: shape.outChannels))
    shape.accumulateDirectWeightGradient(
        direct, x: x.pointer, dy: .pooled(pooling, outputGradient: pooledGradient.pointer, output: pooled.pointer, indices: indices),
        dw: dw.pointer, db: db.pointer)
    let routed = Floats(repeating: .nan, count: shape.outputCount)
    maxPool2dInputGradient(pooling, batch: shape.batch, outputGradient: pooledGradient.pointer, gate: pooled.pointer, indices: indices,
                           inputGradient: routed.pointer)
    let (dwStored, dbStored) = (Floats(repeating: 0.25, count: shape.weightCount), Floats(repeating: 2, count: shape.outChannels))
    shape.accumulateDirectWeightGradient(direct, x: x.pointer, dy: .stored(routed.pointer), dw: dwStored.pointer, db: dbStored.pointer)
    #expect(dw.values == dwStored.values)
    #expect(db.values == dbStored.values)
}

/// The pooling batch loops give each image the per-image references' results, on a batch large
/// enough to split over the pool (10 images of 3×24×25).
@Test func poolingBatchLoopsMatchReference() {
    let batch = 10
    let window = Window2d(channels: 3, height: 24, width: 25, kernel: (3, 3), stride: (2, 2), padding: (1, 1))
    let imageCount = window.channels * window.height * window.width
    let outputCount = window.channels * window.outputHeight * window.outputWidth
    let x = Floats(random: batch * imageCount, seed: 60), dy = Floats(random: batch * outputCount, seed: 61)

    let maxima = Floats(repeating: .nan, count: batch * outputCount), averages = Floats(repeating: .nan, count: batch * outputCount)
    let dx = Floats(repeating: .nan, count: batch * imageCount)
    let indices = UnsafeMutablePointer<Int32>.allocate(capacity: batch * outputCount)
    defer { indices.deallocate() }
    maxPool2d(window, batch: batch, input: x.pointer, output: maxima.pointer, indices: indices)
    maxPool2dInputGradient(window, batch: batch, outputGradient: dy.pointer, indices: indices, inputGradient: dx.pointer)
    avgPool2d(window, batch: batch, countIncludePad: false, input: x.pointer, output: averages.pointer)

    let maximaReference = Floats(repeating: .nan, count: batch * outputCount)
    let averagesReference = Floats(repeating: .nan, count: batch * outputCount)
    let dxReference = Floats(repeating: 0, count: batch * imageCount)
    let indicesReference = UnsafeMutablePointer<Int32>.allocate(capacity: batch * outputCount)
    defer { indicesReference.deallocate() }
    for image in 0..<batch {
        let (input, output) = (image * imageCount, image * outputCount)
        maxPool2dReference(window, image: x.pointer + input, output: maximaReference.pointer + output, indices: indicesReference + output)
        maxPool2dBackward(window, outputGradient: dy.pointer + output, indices: indicesReference + output,
                          inputGradient: dxReference.pointer + input)
        avgPool2dReference(window, countIncludePad: false, image: x.pointer + input, output: averagesReference.pointer + output)
    }
    #expect(maxima.values == maximaReference.values)
    #expect(Array(UnsafeBufferPointer(start: indices, count: batch * outputCount))
            == Array(UnsafeBufferPointer(start: indicesReference, count: batch * outputCount)))
    #expect(dx.values == dxReference.values)
    expectClose(averages, averagesReference, "average pooling")
}
