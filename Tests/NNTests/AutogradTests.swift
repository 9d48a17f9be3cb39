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

    /// x = torch.tensor([1., -2.], requires_grad=True); y = torch.tanh(x).sum()
    /// y.backward(); y.backward()  # RuntimeError: Trying to backward through the graph a second time …
    @Test func aSecondBackwardThroughAFreedGraphThrows() throws {
        let x = Variable(Tensor(shape: [2], scalars: [1, -2]), requiresGrad: true)
        let hidden = try Tanh()(x)
        let loss = try MSELoss(reduction: .sum)(hidden, Tensor(zeros: [2]))
        try loss.backward()
        let once = try #require(x.grad)
        let error = try #require(throws: NNError.self) { try loss.backward() }
        guard case .freedGraph(let message) = error else { Issue.record("unexpected \(error)"); return }
        #expect(message.hasPrefix("Trying to backward through the graph a second time"))
        #expect(message.contains("retainGraph: true"))
        #expect(x.grad == once, "the refused pass changes no gradient")
        #expect(throws: NNError.self) { try hidden.backward(gradient: Tensor(repeating: 1, shape: [2])) }
        #expect(!hidden.isLeaf, "a freed variable is still not a leaf")
    }

    /// y.backward(retain_graph=True); y.backward() accumulates twice; a third backward throws.
    @Test func retainGraphAllowsAnotherBackward() throws {
        let x = Variable(Tensor(shape: [2], scalars: [1, -2]), requiresGrad: true)
        let loss = try MSELoss(reduction: .sum)(try Tanh()(x), Tensor(zeros: [2]))
        try loss.backward(retainGraph: true)
        let once = try #require(x.grad)
        try loss.backward()
        #expect(x.grad == Tensor(shape: [2], scalars: once.scalars.map { 2 * $0 }))
        #expect(throws: NNError.self) { try loss.backward() }
    }

    /// x = torch.ones(2, 3, requires_grad=True); y = torch.cat([x.reshape(3, 2), x.reshape(3, 2)]) + 0
    /// y.backward(g); y.backward(g) works: reshape, cat and add save no tensors.
    @Test func operationsWithoutSavedTensorsSurviveBackward() throws {
        let x = Variable(Tensor(repeating: 1, shape: [2, 3]), requiresGrad: true)
        let viewed = try Reshape(shape: [3])(x)
        let output = try Add()([try Concat(dim: 1)([viewed, viewed]), try Concat(dim: 1)([viewed, viewed])])
        let seed = Tensor(repeating: 1, shape: [2, 6])
        try output.backward(gradient: seed)
        try output.backward(gradient: seed)
        #expect(x.grad == Tensor(repeating: 8, shape: [2, 3]))
    }

    /// Without retainGraph, each freed operation releases its inputs: intermediate values go as
    /// soon as backward has used them, while the output is still held.
    @Test func backwardReleasesSavedValues() throws {
        var generator = RandomGenerator(seed: 64)
        let layer = try Linear(inFeatures: 3, outFeatures: 2, generator: &generator)
        weak var weakHidden: Variable?
        let output: Variable
        do {
            let hidden = try layer(Variable(Tensor(repeating: 1, shape: [1, 3])))
            weakHidden = hidden
            output = try ReLU()(hidden)
        }
        #expect(weakHidden != nil)
        try output.backward(gradient: Tensor(repeating: 1, shape: [1, 2]))
        #expect(weakHidden == nil)
        #expect(layer.weight.grad != nil)
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
