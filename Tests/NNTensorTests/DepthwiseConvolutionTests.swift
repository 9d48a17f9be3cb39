import NNTensor
import Testing

// The depthwise kernels (DepthwiseConvolution.swift) against the naive references, group by group,
// over strides 1, 2 and 3, paddings, dilations and planes from 1×1 up to rows wider than a vector
// step (the stride-2 rows are split in 16-float steps).

/// Depthwise shapes (4 channels, 3 images) over an image of `height`×`width`: every window of the
/// kernels, strides, paddings and dilations below that fits it.
private func depthwiseShapes(height: Int, width: Int) -> [ConvolutionShape] {
    var shapes: [ConvolutionShape] = []
    for kernel in [(3, 3), (1, 1), (2, 5)] {
        for stride in [(1, 1), (2, 2), (3, 1)] {
            for padding in [(0, 0), (1, 1), (2, 1)] {
                for dilation in [(1, 1), (2, 1)] {
                    let window = Window2d(channels: 1, height: height, width: width, kernel: kernel, stride: stride,
                                          padding: padding, dilation: dilation)
                    guard (try? window.validate()) != nil, window.outputHeight > 0, window.outputWidth > 0 else { continue }
                    shapes.append(ConvolutionShape(window: window, batch: 3, outChannels: 4, groups: 4))
                }
            }
        }
    }
    return shapes
}

/// Random x, w, b and dY for `shape`, uniform in [−1, 1].
private struct DepthwiseData {
    let x: [Float], w: [Float], b: [Float], dy: [Float]

    init(_ shape: ConvolutionShape, seed: UInt64) {
        var random = RandomGenerator(seed: seed)
        func values(_ count: Int) -> [Float] { (0..<count).map { _ in random.uniform(-1, 1) } }
        x = values(shape.batch * shape.groups * shape.inputPlane)
        w = values(shape.outChannels * shape.columnRows)
        b = values(shape.outChannels)
        dy = values(shape.batch * shape.outChannels * shape.outputPlane)
    }
}

/// The four results of `shape` on `DepthwiseData`: y, dw (from 0.5), db (from −1) and dx, through
/// the separate calls (`fused` false) or `accumulateGradients`.
private func depthwiseResults(_ shape: ConvolutionShape, fused: Bool, seed: UInt64) throws -> [[Float]] {
    let convolution = try #require(DepthwiseConvolution(shape)), data = DepthwiseData(shape, seed: seed)
    var y = [Float](repeating: .nan, count: data.dy.count), dx = [Float](repeating: .nan, count: data.x.count)
    var dw = [Float](repeating: 0.5, count: data.w.count), db = [Float](repeating: -1, count: data.b.count)
    convolution.forward(x: data.x, w: data.w, b: data.b, y: &y)
    if fused {
        convolution.accumulateGradients(x: data.x, w: data.w, dy: data.dy, dw: &dw, db: &db, dx: &dx)
    } else {
        convolution.accumulateWeightGradient(x: data.x, dy: data.dy, dw: &dw, db: &db)
        convolution.inputGradient(w: data.w, dy: data.dy, dx: &dx)
    }
    return [y, dw, db, dx]
}

/// The same four results from the naive references, image by image and group by group.
private func referenceResults(_ shape: ConvolutionShape, seed: UInt64) -> [[Float]] {
    let data = DepthwiseData(shape, seed: seed)
    var y = [Float](repeating: .nan, count: data.dy.count), dx = [Float](repeating: 0, count: data.x.count)
    var dw = [Float](repeating: 0.5, count: data.w.count), db = [Float](repeating: -1, count: data.b.count)
    data.x.withUnsafeBufferPointer { x in data.w.withUnsafeBufferPointer { w in data.b.withUnsafeBufferPointer { b in
        data.dy.withUnsafeBufferPointer { dy in y.withUnsafeMutableBufferPointer { y in
            dw.withUnsafeMutableBufferPointer { dw in dx.withUnsafeMutableBufferPointer { dx in
                for image in 0..<shape.batch {
                    for group in 0..<shape.groups {
                        let input = shape.inputOffset(image, group), weights = shape.weightOffset(group)
                        let output = shape.outputOffset(image, group)
                        convolutionReference(shape.window, image: x.baseAddress! + input, weights: w.baseAddress! + weights,
                                             outChannels: 1, bias: b.baseAddress! + group, output: y.baseAddress! + output)
                        convolutionWeightGradientReference(shape.window, image: x.baseAddress! + input,
                                                           outputGradient: dy.baseAddress! + output, outChannels: 1,
                                                           weightGradient: dw.baseAddress! + weights)
                        convolutionInputGradientReference(shape.window, outputGradient: dy.baseAddress! + output,
                                                          weights: w.baseAddress! + weights, outChannels: 1,
                                                          inputGradient: dx.baseAddress! + input)
                    }
                }
            } }
        } }
    } } }
    for image in 0..<shape.batch {
        for group in 0..<shape.groups {
            let output = shape.outputOffset(image, group)
            db[group] += data.dy[output..<(output + shape.outputPlane)].reduce(0, +)
        }
    }
    return [y, dw, db, dx]
}

@Test(arguments: [(1, 1), (2, 2), (3, 3), (7, 7), (6, 9), (17, 35), (8, 32)])
func depthwiseConvolutionMatchesReference(height: Int, width: Int) throws {
    for (index, shape) in depthwiseShapes(height: height, width: width).enumerated() {
        let seed = UInt64(index * 10), fast = try depthwiseResults(shape, fused: false, seed: seed)
        let reference = referenceResults(shape, seed: seed), window = shape.window
        let geometry = "\(height)×\(width) kernel \(window.kernelHeight)×\(window.kernelWidth) stride \(window.strideHeight)×"
            + "\(window.strideWidth) padding \(window.paddingHeight)×\(window.paddingWidth) dilation \(window.dilationHeight)"
        // Within float rounding: sums of at most a few hundred terms in another order.
        for (result, name) in ["forward", "weight gradient", "bias gradient", "input gradient"].enumerated() {
            let scale = max(1, reference[result].map(abs).max() ?? 0)
            #expect(zip(fast[result], reference[result]).allSatisfy { abs($0 - $1) <= 1e-5 * scale }, "\(name), \(geometry)")
        }
    }
}

/// `accumulateGradients` (the training plan's call) gives the bits of the weight gradient then the
/// input gradient (autograd's calls), on one thread and on two.
@Test func depthwiseGradientsAreTheSameFusedSeparateAndOnTwoThreads() throws {
    let window = Window2d(channels: 1, height: 16, width: 16, kernel: (3, 3), stride: (2, 2), padding: (1, 1))
    let shape = ConvolutionShape(window: window, batch: 11, outChannels: 24, groups: 24)
    func results(threads: Int, fused: Bool) throws -> [[Float]] {
        let pool = WorkerPool.shared, saved = pool.threadCount
        pool.threadCount = threads
        defer { pool.threadCount = saved }
        return try depthwiseResults(shape, fused: fused, seed: 90)
    }
    let separate = try results(threads: 1, fused: false)
    #expect(try results(threads: 1, fused: true) == separate)
    #expect(try results(threads: 2, fused: true) == separate)
    #expect(try results(threads: 2, fused: false) == separate)
    #expect(!separate.joined().contains { $0.isNaN })
}

/// Only one input and one output channel per group, with more than one group, is depthwise; the
/// convolution's batch loops then give the depthwise kernels' bits.
@Test func depthwiseConvolutionIsChosenForOneChannelPerGroup() throws {
    let window = Window2d(channels: 1, height: 6, width: 6, kernel: (3, 3), padding: (1, 1))
    #expect(DepthwiseConvolution(ConvolutionShape(window: window, batch: 2, outChannels: 3, groups: 1)) == nil)
    #expect(DepthwiseConvolution(ConvolutionShape(window: window, batch: 2, outChannels: 6, groups: 3)) == nil)
    let twoChannels = Window2d(channels: 2, height: 6, width: 6, kernel: (3, 3), padding: (1, 1))
    #expect(DepthwiseConvolution(ConvolutionShape(window: twoChannels, batch: 2, outChannels: 3, groups: 3)) == nil)

    let shape = ConvolutionShape(window: window, batch: 2, outChannels: 3, groups: 3)
    let direct = try depthwiseResults(shape, fused: true, seed: 30), data = DepthwiseData(shape, seed: 30)
    var y = [Float](repeating: .nan, count: data.dy.count), dx = [Float](repeating: .nan, count: data.x.count)
    var dw = [Float](repeating: 0.5, count: data.w.count), db = [Float](repeating: -1, count: data.b.count)
    shape.forward(x: data.x, w: data.w, b: data.b, y: &y)
    shape.accumulateWeightGradient(x: data.x, dy: data.dy, dw: &dw, db: &db)
    shape.inputGradient(w: data.w, dy: data.dy, dx: &dx)
    #expect([y, dw, db, dx] == direct)
}
