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
