import NNTensor
import Testing
@testable import NN

@Suite("Gradient checks: core layers")
struct CoreLayerGradientTests {
    @Test func linear() throws {
        var generator = RandomGenerator(seed: 1)
        let layer = try Linear(inFeatures: 5, outFeatures: 3, generator: &generator)
        let input = randomVariable([4, 5], &generator)
        try expectGradientsMatch([input, layer.weight, layer.bias!]) { try layer(input) }
    }

    @Test func linearWithLeadingDimensionsAndNoBias() throws {
        var generator = RandomGenerator(seed: 2)
        let layer = try Linear(inFeatures: 3, outFeatures: 2, bias: false, generator: &generator)
        let input = randomVariable([2, 3, 3], &generator)
        try expectGradientsMatch([input, layer.weight]) { try layer(input) }
    }

    @Test(arguments: [
        (stride: IntOrPair.single(1), padding: Conv2dPadding.sizes(.single(0)), dilation: IntOrPair.single(1), groups: 1),
        (stride: .pair(2, 1), padding: .pair(1, 2), dilation: .single(1), groups: 1),
        (stride: .single(1), padding: .sizes(.single(1)), dilation: .single(2), groups: 2),
        // kernel 3×2: 'same' pads the width unevenly (0 before, 1 after)
        (stride: .single(1), padding: .same, dilation: .single(1), groups: 1),
        (stride: .single(1), padding: .same, dilation: .pair(2, 3), groups: 2),
        (stride: .pair(2, 1), padding: .valid, dilation: .single(1), groups: 1),
    ])
    func conv2d(stride: IntOrPair, padding: Conv2dPadding, dilation: IntOrPair, groups: Int) throws {
        var generator = RandomGenerator(seed: 3)
        let layer = try Conv2d(inChannels: 2, outChannels: 4, kernelSize: .pair(3, 2), stride: stride, padding: padding,
                               dilation: dilation, groups: groups, generator: &generator)
        let input = randomVariable([2, 2, 6, 5], &generator)
        try expectGradientsMatch([input, layer.weight, layer.bias!]) { try layer(input) }
    }

    @Test func relu() throws {
        var generator = RandomGenerator(seed: 4)
        let input = randomVariable([3, 7], &generator)
        try expectGradientsMatch([input], step: 1e-3) { try ReLU()(input) }
    }

    @Test func maxPool2d() throws {
        var generator = RandomGenerator(seed: 5)
        let input = randomVariable([2, 2, 5, 6], &generator)
        let layer = try MaxPool2d(kernelSize: .pair(3, 2), stride: 2, padding: 1, ceilMode: true)
        try expectGradientsMatch([input], step: 1e-3) { try layer(input) }
    }

    @Test func flatten() throws {
        var generator = RandomGenerator(seed: 6)
        let input = randomVariable([2, 3, 2, 2], &generator)
        let output = try Flatten()(input)
        #expect(output.shape == [2, 12])
        #expect(try Flatten(startDim: 0, endDim: 2)(input).shape == [12, 2])
        try expectGradientsMatch([input]) { try Flatten()(input) }
    }

    @Test func transpose() throws {
        var generator = RandomGenerator(seed: 7)
        let input = randomVariable([2, 3, 2, 4], &generator)
        #expect(try Transpose(dim0: 1, dim1: -1)(input).shape == [2, 4, 2, 3])
        #expect(throws: NNError.self) { try Transpose(dim0: 1, dim1: 4)(input) }
        try expectGradientsMatch([input]) { try Transpose(dim0: 3, dim1: 1)(input) }
    }
}

@Suite("Gradient checks: core losses")
struct CoreLossGradientTests {
    @Test(arguments: Reduction.allCases)
    func mseLoss(reduction: Reduction) throws {
        var generator = RandomGenerator(seed: 7)
        let input = randomVariable([3, 4], &generator)
        let target = randomVariable([3, 4], &generator, requiresGrad: false).value
        try expectGradientsMatch([input]) { try MSELoss(reduction: reduction)(input, target) }
    }

    @Test(arguments: Reduction.allCases, [0.0, 0.2])
    func crossEntropyLoss(reduction: Reduction, labelSmoothing: Double) throws {
        var generator = RandomGenerator(seed: 8)
        let input = randomVariable([4, 5], &generator, in: -2...2)
        let loss = try CrossEntropyLoss(reduction: reduction, labelSmoothing: labelSmoothing)
        try expectGradientsMatch([input]) { try loss(input, classes: [0, 4, 2, 2]) }
    }
}
