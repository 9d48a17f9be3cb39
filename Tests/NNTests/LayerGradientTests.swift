import NNTensor
import Testing
@testable import NN

@Suite("Gradient checks: layers")
struct LayerGradientTests {
    @Test(arguments: [true, false])
    func avgPool2d(countIncludePad: Bool) throws {
        var generator = RandomGenerator(seed: 11)
        let input = randomVariable([2, 2, 5, 6], &generator)
        let layer = try AvgPool2d(kernelSize: 3, stride: .pair(2, 1), padding: 1, ceilMode: true, countIncludePad: countIncludePad)
        try expectGradientsMatch([input]) { try layer(input) }
    }

    @Test func adaptiveAvgPool2d() throws {
        var generator = RandomGenerator(seed: 12)
        let input = randomVariable([2, 3, 7, 5], &generator)
        let layer = try AdaptiveAvgPool2d(outputSize: .pair(3, 2))
        #expect(try layer(input).shape == [2, 3, 3, 2])
        try expectGradientsMatch([input]) { try layer(input) }
    }

    @Test(arguments: [[4, 3], [4, 3, 5]], [true, false])
    func batchNorm1d(shape: [Int], training: Bool) throws {
        var generator = RandomGenerator(seed: 13)
        let layer = try BatchNorm1d(numFeatures: 3)
        layer.weight!.value = Initializer.uniform(shape: [3], bound: 2, generator: &generator)
        layer.bias!.value = Initializer.uniform(shape: [3], bound: 1, generator: &generator)
        layer.runningMean!.value = Initializer.uniform(shape: [3], bound: 0.5, generator: &generator)
        layer.runningVar!.value = Tensor(shape: [3], scalars: [0.5, 1.5, 2])
        layer.train(training)
        let input = randomVariable(shape, &generator, in: -2...2)
        try expectGradientsMatch([input, layer.weight!, layer.bias!]) { try layer(input) }
    }

    @Test func batchNorm2dWithoutRunningStatistics() throws {
        var generator = RandomGenerator(seed: 14)
        let layer = try BatchNorm2d(numFeatures: 2, affine: false, trackRunningStats: false)
        layer.eval()
        let input = randomVariable([3, 2, 3, 2], &generator, in: -2...2)
        try expectGradientsMatch([input]) { try layer(input) }
    }

    @Test func batchNorm2d() throws {
        var generator = RandomGenerator(seed: 15)
        let layer = try BatchNorm2d(numFeatures: 2)
        layer.weight!.value = Tensor(shape: [2], scalars: [0.7, -1.3])
        let input = randomVariable([2, 2, 3, 3], &generator, in: -2...2)
        try expectGradientsMatch([input, layer.weight!, layer.bias!]) { try layer(input) }
    }

    /// Conv1d with an odd length, stride, padding, dilation and groups; and 'same' with an even kernel.
    @Test(arguments: [(stride: 2, padding: Conv2dPadding.sizes(.single(2)), groups: 2), (stride: 1, padding: .same, groups: 1)])
    func conv1d(_ options: (stride: Int, padding: Conv2dPadding, groups: Int)) throws {
        var generator = RandomGenerator(seed: 31)
        let layer = try Conv1d(inChannels: 4, outChannels: 6, kernelSize: 4, stride: options.stride, padding: options.padding,
                               dilation: 2, groups: options.groups, generator: &generator)
        let input = randomVariable([2, 4, 11], &generator)
        try expectGradientsMatch([input, layer.weight, layer.bias!]) { try layer(input) }
    }

    @Test(arguments: [true, false])
    func pooling1d(ceilMode: Bool) throws {
        var generator = RandomGenerator(seed: 32)
        let input = randomVariable([2, 3, 11], &generator)
        let maxPool = try MaxPool1d(kernelSize: 3, stride: 2, padding: 1, dilation: 2, ceilMode: ceilMode)
        try expectGradientsMatch([input]) { try maxPool(input) }
        let avgPool = try AvgPool1d(kernelSize: 3, stride: 2, padding: 1, ceilMode: ceilMode, countIncludePad: !ceilMode)
        try expectGradientsMatch([input]) { try avgPool(input) }
        let adaptive = try AdaptiveAvgPool1d(outputSize: 4)
        #expect(try adaptive(input).shape == [2, 3, 4])
        try expectGradientsMatch([input]) { try adaptive(input) }
    }

    /// Stride, padding, output_padding and groups; and output_padding 2 ≥ stride 1 (< dilation 3), whose
    /// input is padded for the convolution it is the gradient of.
    @Test(arguments: [(stride: IntOrPair.pair(2, 1), padding: IntOrPair.pair(1, 0), outputPadding: IntOrPair.pair(1, 0),
                       dilation: IntOrPair.single(1), groups: 2),
                      (stride: 1, padding: 1, outputPadding: 2, dilation: 3, groups: 1)])
    func convTranspose2d(_ options: (stride: IntOrPair, padding: IntOrPair, outputPadding: IntOrPair, dilation: IntOrPair, groups: Int)) throws {
        var generator = RandomGenerator(seed: 33)
        let layer = try ConvTranspose2d(inChannels: 4, outChannels: 6, kernelSize: .pair(3, 2), stride: options.stride,
                                        padding: options.padding, outputPadding: options.outputPadding, groups: options.groups,
                                        dilation: options.dilation, generator: &generator)
        let input = randomVariable([2, 4, 3, 4], &generator)
        try expectGradientsMatch([input, layer.weight, layer.bias!]) { try layer(input) }
    }

    @Test(arguments: [(Upsample.Mode.nearest, nil as Bool?), (.bilinear, false), (.bilinear, true)])
    func upsample(mode: Upsample.Mode, alignCorners: Bool?) throws {
        var generator = RandomGenerator(seed: 34)
        let input = randomVariable([2, 2, 3, 4], &generator)
        let bySize = try Upsample(size: .pair(5, 7), mode: mode, alignCorners: alignCorners)
        try expectGradientsMatch([input]) { try bySize(input) }
        let byScale = try Upsample(scaleFactor: 1.5, mode: mode, alignCorners: alignCorners)
        #expect(try byScale(input).shape == [2, 2, 4, 6])
        try expectGradientsMatch([input]) { try byScale(input) }
    }

    @Test(arguments: [[3, 6, 2, 3], [2, 6, 5]])
    func groupNorm(shape: [Int]) throws {
        var generator = RandomGenerator(seed: 35)
        let layer = try GroupNorm(numGroups: 3, numChannels: 6)
        layer.weight!.value = Initializer.uniform(shape: [6], bound: 2, generator: &generator)
        layer.bias!.value = Initializer.uniform(shape: [6], bound: 1, generator: &generator)
        let input = randomVariable(shape, &generator, in: -2...2)
        try expectGradientsMatch([input, layer.weight!, layer.bias!]) { try layer(input) }
    }

    @Test(arguments: [true, false])
    func instanceNorm2d(training: Bool) throws {
        var generator = RandomGenerator(seed: 36)
        let layer = try InstanceNorm2d(numFeatures: 3, affine: true, trackRunningStats: true)
        layer.weight!.value = Initializer.uniform(shape: [3], bound: 2, generator: &generator)
        layer.runningMean!.value = Initializer.uniform(shape: [3], bound: 0.5, generator: &generator)
        layer.runningVar!.value = Tensor(shape: [3], scalars: [0.5, 1.5, 2])
        layer.train(training)
        let input = randomVariable([2, 3, 3, 4], &generator, in: -2...2)
        try expectGradientsMatch([input, layer.weight!, layer.bias!]) { try layer(input) }
    }

    @Test func layerNorm() throws {
        var generator = RandomGenerator(seed: 16)
        let layer = try LayerNorm(normalizedShape: [3, 4])
        layer.weight!.value = Initializer.uniform(shape: [3, 4], bound: 2, generator: &generator)
        layer.bias!.value = Initializer.uniform(shape: [3, 4], bound: 1, generator: &generator)
        let input = randomVariable([2, 3, 4], &generator, in: -2...2)
        try expectGradientsMatch([input, layer.weight!, layer.bias!]) { try layer(input) }
    }

    @Test func layerNormWithoutAffine() throws {
        var generator = RandomGenerator(seed: 17)
        let layer = try LayerNorm(normalizedShape: [5], elementwiseAffine: false)
        #expect(layer.namedParameters().isEmpty)
        let input = randomVariable([4, 5], &generator, in: -2...2)
        try expectGradientsMatch([input]) { try layer(input) }
    }

    @Test func dropoutUsesOneMaskPerForward() throws {
        var generator = RandomGenerator(seed: 18)
        let layer = try Dropout(p: 0.3, generator: &generator)
        let input = randomVariable([4, 6], &generator)
        let output = try layer(input)
        try output.backward(gradient: Tensor(repeating: 1, shape: [4, 6]))
        let gradient = try #require(input.grad)
        for (index, value) in output.value.scalars.enumerated() {
            let kept = value != 0
            #expect(gradient.scalars[index] == (kept ? Float(1 / 0.7) : 0))
            if kept { #expect(abs(value - input.value.scalars[index] / 0.7) < 1e-6) }
        }
    }

    /// A fresh layer from the same seed draws the same mask on every evaluation, so finite
    /// differences see one fixed function.
    @Test func dropoutFiniteDifferences() throws {
        var generator = RandomGenerator(seed: 23)
        let input = randomVariable([3, 5], &generator)
        try expectGradientsMatch([input]) {
            var maskGenerator = RandomGenerator(seed: 24)
            return try Dropout(p: 0.4, generator: &maskGenerator)(input)
        }
    }

    /// The layer that applies `function`.
    static func layer(_ function: Activation) throws -> Module {
        switch function {
        case .relu: ReLU()
        case .leakyRelu(let slope): LeakyReLU(negativeSlope: Double(slope))
        case .elu(let alpha): ELU(alpha: Double(alpha))
        case .gelu: try GELU()
        case .geluTanh: try GELU(approximate: "tanh")
        case .sigmoid: Sigmoid()
        case .tanh: Tanh()
        case .relu6: ReLU6()
        case .silu: SiLU()
        case .hardswish: Hardswish()
        case .softplus(let beta, let threshold): Softplus(beta: Double(beta), threshold: Double(threshold))
        case .mish: Mish()
        }
    }

    @Test(arguments: [Activation.relu, .leakyRelu(negativeSlope: 0.2), .elu(alpha: 0.7), .gelu, .geluTanh, .sigmoid, .tanh,
                      .relu6, .silu, .hardswish, .softplus(beta: 1, threshold: 20), .softplus(beta: 0.5, threshold: 1), .mish])
    func activations(_ function: Activation) throws {
        let layer = try Self.layer(function)
        var generator = RandomGenerator(seed: 19)
        let input = randomVariable([3, 8], &generator, in: -3...3)
        try expectGradientsMatch([input], step: 1e-3) { try layer(input) }
    }

    /// Inputs 0.01 and 0.002 either side of each kink (ReLU6: 0 and 6; Hardswish: ±3; Softplus: where
    /// beta·x crosses threshold, a jump of log(1 + e⁻ᵗʰʳᵉˢʰᵒˡᵈ)/beta; SiLU and Mish: 0), where the
    /// finite differences of step 0.001 stay on one side.
    @Test(arguments: [Activation.relu6, .hardswish, .softplus(beta: 2, threshold: 3), .softplus(beta: 1, threshold: 20), .silu, .mish])
    func activationsNearTheirKinks(_ function: Activation) throws {
        let kinks: [Float] = switch function {
        case .relu6: [0, 6]
        case .hardswish: [-3, 3]
        case .softplus(let beta, let threshold): [threshold / beta]
        default: [0]
        }
        let scalars = kinks.flatMap { kink in [-0.01, -0.002, 0.002, 0.01].map { kink + $0 } }
        let input = Variable(Tensor(shape: [scalars.count], scalars: scalars), requiresGrad: true)
        let layer = try Self.layer(function)
        try expectGradientsMatch([input], step: 1e-3) { try layer(input) }
    }

    @Test(arguments: [0, 1, -1])
    func softmaxAndLogSoftmax(dim: Int) throws {
        var generator = RandomGenerator(seed: 20)
        let input = randomVariable([3, 4, 2], &generator, in: -2...2)
        try expectGradientsMatch([input]) { try Softmax(dim: dim)(input) }
        try expectGradientsMatch([input]) { try LogSoftmax(dim: dim)(input) }
    }

    @Test func reshapeKeepsTheBatch() throws {
        var generator = RandomGenerator(seed: 23)
        let input = randomVariable([2, 3, 4], &generator)
        let layer = try Reshape(shape: [2, -1, 3])
        let output = try layer(input)
        #expect(output.shape == [2, 2, 2, 3])
        #expect(output.value.scalars == input.value.scalars)
        #expect(try Reshape(shape: [12])(input).shape == [2, 12])
        try expectGradientsMatch([input]) { try layer(input) }
    }

    /// `inplace` changes only the printed text: the same values and gradients, and the input is kept.
    @Test func inplaceActivationsMatchTheOutOfPlaceOnes() throws {
        var generator = RandomGenerator(seed: 24)
        let input = randomVariable([3, 5], &generator, in: -2...2)
        let original = input.value
        let pairs: [(Module, Module)] = [(ReLU(), ReLU(inplace: true)),
                                         (LeakyReLU(negativeSlope: 0.2), LeakyReLU(negativeSlope: 0.2, inplace: true)),
                                         (ELU(alpha: 0.5), ELU(alpha: 0.5, inplace: true)), (ReLU6(), ReLU6(inplace: true)),
                                         (SiLU(), SiLU(inplace: true)), (Hardswish(), Hardswish(inplace: true)),
                                         (Mish(), Mish(inplace: true))]
        for (outOfPlace, inPlace) in pairs {
            #expect(try inPlace(input).value == outOfPlace(input).value)
            #expect(input.value == original)
            try expectGradientsMatch([input], step: 1e-3) { try inPlace(input) }
        }
    }

    @Test func identity() throws {
        var generator = RandomGenerator(seed: 21)
        let input = randomVariable([2, 3], &generator)
        try expectGradientsMatch([input]) { try Identity()(input) }
    }

    @Test func addAndConcat() throws {
        var generator = RandomGenerator(seed: 22)
        let a = randomVariable([2, 3, 2], &generator), b = randomVariable([2, 3, 2], &generator)
        let c = randomVariable([2, 1, 2], &generator)
        try expectGradientsMatch([a, b]) { try Add()([a, b, a]) }
        try expectGradientsMatch([a, b, c]) { try Concat(dim: 1)([a, c, b]) }
        try expectGradientsMatch([a, b]) { try Concat(dim: -1)([a, b]) }
    }
}
