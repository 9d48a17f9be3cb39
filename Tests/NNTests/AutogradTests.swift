import Foundation
import NNTensor
import Testing
@testable import NN

/// y = 2x whose backward rule wrongly uses 3: the gradient check must catch it.
private struct WronglyDifferentiatedDouble: DifferentiableOperation {
    let input: Variable
    var inputs: [Variable] { [input] }
    func backward(_ outputGradient: Tensor) { input.accumulateGradient(outputGradient.mapped { 3 * $0 }) }
}

@Suite("Autograd")
struct AutogradTests {
    @Test func gradientCheckCatchesAWrongRule() throws {
        let input = Variable(Tensor(shape: [3], scalars: [1, 2, 3]), requiresGrad: true)
        withKnownIssue("the backward rule is deliberately wrong") {
            try expectGradientsMatch([input]) {
                record(input.value.mapped { 2 * $0 }, inputs: [input]) { WronglyDifferentiatedDouble(input: input) }
            }
        }
    }

    @Test func sharedInputsAccumulateAndNonLeavesKeepNoGradient() throws {
        let x = Variable(Tensor(shape: [2], scalars: [1, -2]), requiresGrad: true)
        let hidden = try Tanh()(x)
        let output = try MSELoss(reduction: .sum)(try Add()([hidden, hidden, x]), Tensor(zeros: [2]))
        try output.backward()
        // d/dx Σ (2·tanh x + x)² = 2·(2·tanh x + x)·(2·(1 − tanh² x) + 1)
        let expected: [Float] = x.value.scalars.map { value in
            let t: Float = tanh(value)
            let sum: Float = 2 * t + value
            return 2 * sum * (2 * (1 - t * t) + 1)
        }
        let gradient = try #require(x.grad)
        for index in 0..<2 { #expect(abs(gradient.scalars[index] - expected[index]) < 1e-5) }
        #expect(hidden.grad == nil)
        #expect(!hidden.isLeaf && x.isLeaf)
    }

    @Test func gradientOfAnInputIsNotComputedUnlessRequired() throws {
        var generator = RandomGenerator(seed: 61)
        let layer = try Linear(inFeatures: 3, outFeatures: 2, generator: &generator)
        let input = Variable(Tensor(repeating: 1, shape: [1, 3]))
        try layer(input).backward(gradient: Tensor(repeating: 1, shape: [1, 2]))
        #expect(input.grad == nil)
        #expect(layer.weight.grad == Tensor(repeating: 1, shape: [2, 3]))
        #expect(layer.bias!.grad == Tensor(repeating: 1, shape: [2]))
    }

    @Test func graphIsFreedWithItsOutput() throws {
        var generator = RandomGenerator(seed: 62)
        let layer = try Linear(inFeatures: 3, outFeatures: 2, generator: &generator)
        weak var weakHidden: Variable?
        do {
            let hidden = try layer(Variable(Tensor(repeating: 1, shape: [1, 3])))
            weakHidden = hidden
            let output = try ReLU()(hidden)
            try output.backward(gradient: Tensor(repeating: 1, shape: [1, 2]))
        }
        #expect(weakHidden == nil)
    }
}

@Suite("Empty batches")
struct EmptyBatchTests {
    /// A batch of zero samples flows through every layer without trapping, as in PyTorch.
    @Test func layersAcceptAnEmptyBatch() throws {
        var generator = RandomGenerator(seed: 63)
        let images = Variable(Tensor(zeros: [0, 2, 6, 6]), requiresGrad: true)
        let layers: [Module] = [
            try Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, generator: &generator), ReLU(), try GELU(),
            try MaxPool2d(kernelSize: 2), try AvgPool2d(kernelSize: 2), try AdaptiveAvgPool2d(outputSize: 1),
            Softmax(dim: 1), Flatten(), try Linear(inFeatures: 3, outFeatures: 4, generator: &generator),
        ]
        var output = images
        for layer in layers { output = try layer(output) }
        #expect(output.shape == [0, 4])
        try output.backward(gradient: Tensor(zeros: [0, 4]))
    }
}
