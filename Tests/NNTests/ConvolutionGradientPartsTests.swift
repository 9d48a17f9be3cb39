import NNTensor
import Testing
@testable import NN

/// The bias gradient is summed in the weight gradient's pass; with a weight that needs no gradient
/// it must still be computed, on the stride-1 path and on the im2col path.
@Test(arguments: [(1, 1), (2, 1)])
func convolutionBiasGradientWithoutWeightGradient(stride: (Int, Int)) throws {
    var generator = RandomGenerator(seed: 7)
    let weight = Variable(Initializer.uniform(shape: [3, 2, 3, 3], bound: 1, generator: &generator))
    let bias = Variable(Initializer.uniform(shape: [3], bound: 1, generator: &generator), requiresGrad: true)
    let input = randomVariable([2, 2, 6, 5], &generator)
    let geometry = ConvolutionGeometry(stride: stride, padding: (1, 0), dilation: (1, 1), groups: 1)
    try expectGradientsMatch([input, bias]) { try conv2d(input, weight: weight, bias: bias, geometry: geometry) }
    #expect(weight.grad == nil)
}

/// A stride-1 convolution's weight, bias and input gradients as one job on two threads give the bits
/// of the separate calls: 37 images are two groups of 16 across images and 5 images after them.
@Test(arguments: [(0, 1), (2, 2)])
func strideOneGradientsAsOneJobMatchSeparateCalls(padding: Int, dilation: Int) {
    let pool = WorkerPool.shared, saved = pool.threadCount
    pool.threadCount = 2
    defer { pool.threadCount = saved }
    let shape = ConvolutionShape(input: [37, 6, 14, 14], weight: [16, 6, 5, 5],
                                 geometry: ConvolutionGeometry(stride: (1, 1), padding: (padding, padding),
                                                               dilation: (dilation, dilation), groups: 1))
    var random = RandomGenerator(seed: 5)
    let x = (0..<(37 * 6 * 14 * 14)).map { _ in random.uniform(-1, 1) }, w = (0..<(16 * 150)).map { _ in random.uniform(-1, 1) }
    let dy = (0..<(37 * 16 * shape.outputPlane)).map { _ in random.uniform(-1, 1) }
    func gradients(asOneJob: Bool) -> (dw: [Float], db: [Float], dx: [Float]) {
        var dw = [Float](repeating: 0.5, count: w.count), db = [Float](repeating: -1, count: 16), dx = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                dy.withUnsafeBufferPointer { dy in
                    dw.withUnsafeMutableBufferPointer { dw in
                        db.withUnsafeMutableBufferPointer { db in
                            dx.withUnsafeMutableBufferPointer { dx in
                                let (x, w, dy, dw, db, dx) = (x.baseAddress!, w.baseAddress!, dy.baseAddress!, dw.baseAddress!,
                                                              db.baseAddress!, dx.baseAddress!)
                                if asOneJob {
                                    shape.accumulateGradients(x: x, w: w, dy: dy, dw: dw, db: db, dx: dx)
                                } else {
                                    shape.accumulateWeightGradient(x: x, dy: dy, dw: dw, db: db)
                                    shape.inputGradient(w: w, dy: dy, dx: dx)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dw, db, dx)
    }
    let separate = gradients(asOneJob: false), joint = gradients(asOneJob: true)
    #expect(joint.dw == separate.dw)
    #expect(joint.db == separate.db)
    #expect(joint.dx == separate.dx)
}
