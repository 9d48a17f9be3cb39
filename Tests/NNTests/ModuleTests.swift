import NNTensor
import Testing
@testable import NN

/// The torch.nn tutorial's LeNet as the spec writes it: named layers, the rest by index.
func makeLeNet(seed: UInt64 = 0) throws -> Sequential {
    var generator = RandomGenerator(seed: seed)
    return try Sequential(name: "LeNet", [
        ("conv1", try Conv2d(inChannels: 1, outChannels: 6, kernelSize: 5, generator: &generator)),
        ("1", ReLU()),
        ("2", try MaxPool2d(kernelSize: 2)),
        ("conv2", try Conv2d(inChannels: 6, outChannels: 16, kernelSize: 5, generator: &generator)),
        ("4", ReLU()),
        ("5", try MaxPool2d(kernelSize: 2)),
        ("6", Flatten()),
        ("fc1", try Linear(inFeatures: 16 * 5 * 5, outFeatures: 120, generator: &generator)),
        ("8", ReLU()),
        ("fc2", try Linear(inFeatures: 120, outFeatures: 84, generator: &generator)),
        ("10", ReLU()),
        ("fc3", try Linear(inFeatures: 84, outFeatures: 10, generator: &generator)),
    ])
}

@Suite("Modules")
struct ModuleTests {
    @Test func leNetNamesShapesAndCount() throws {
        let net = try makeLeNet()
        let named = net.namedParameters()
        #expect(named.map(\.name) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                                      "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])
        #expect(named.map(\.parameter.shape) == [[6, 1, 5, 5], [6], [16, 6, 5, 5], [16], [120, 400], [120], [84, 120], [84], [10, 84], [10]])
        #expect(net.parameterCount == 61706)
    }

    /// The text below is PyTorch 2.15's `print(net)` for the same nn.Sequential with these child names.
    @Test func leNetDescriptionMatchesPyTorch() throws {
        let expected = """
        LeNet(
          (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
          (1): ReLU()
          (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
          (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
          (4): ReLU()
          (5): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
          (6): Flatten(start_dim=1, end_dim=-1)
          (fc1): Linear(in_features=400, out_features=120, bias=True)
          (8): ReLU()
          (fc2): Linear(in_features=120, out_features=84, bias=True)
          (10): ReLU()
          (fc3): Linear(in_features=84, out_features=10, bias=True)
        )
        """
        #expect(try makeLeNet().description == expected)
    }

    @Test func leNetForwardBackward() throws {
        let net = try makeLeNet()
        var generator = RandomGenerator(seed: 5)
        let input = randomVariable([2, 1, 32, 32], &generator, requiresGrad: false)
        let output = try net(input)
        #expect(output.shape == [2, 10])
        #expect(net.namedParameters().allSatisfy { $0.parameter.grad == nil })
        let loss = try CrossEntropyLoss()(output, classes: [3, 7])
        try loss.backward()
        let firstGradient = try #require(net.namedParameters()[1].parameter.grad)
        #expect(firstGradient.shape == [6])
        try net(input).backward(gradient: Tensor(repeating: 0, shape: [2, 10]))
        #expect(net.namedParameters()[1].parameter.grad == firstGradient)
        let again = try CrossEntropyLoss()(try net(input), classes: [3, 7])
        try again.backward()
        let doubled = try #require(net.namedParameters()[1].parameter.grad)
        for (twice, once) in zip(doubled.scalars, firstGradient.scalars) { #expect(abs(twice - 2 * once) <= 1e-6 * max(1, abs(once))) }
        net.zeroGrad()
        #expect(net.namedParameters().allSatisfy { $0.parameter.grad == nil })
    }

    @Test func noGradBuildsNoGraph() throws {
        let net = try makeLeNet()
        var generator = RandomGenerator(seed: 6)
        let input = randomVariable([1, 1, 32, 32], &generator, requiresGrad: false)
        let output = try noGrad { try net(input) }
        #expect(output.isLeaf && !output.requiresGrad)
        #expect(try net(input).isLeaf == false)
    }

    @Test func loadByName() throws {
        let net = try makeLeNet()
        try net.load(Tensor(repeating: 0.5, shape: [6]), into: "conv1.bias")
        #expect(try net.state(named: "conv1.bias").value.scalars == [Float](repeating: 0.5, count: 6))
        #expect(throws: NNError.shapeMismatch("cannot load a tensor of shape [5] into 'conv1.bias' of shape [6]")) {
            try net.load(Tensor(zeros: [5]), into: "conv1.bias")
        }
        #expect(throws: NNError.self) { try net.load(Tensor(zeros: [6]), into: "conv9.bias") }
    }
}

@Suite("Module state")
struct ModuleStateTests {
    /// nn.Sequential(OrderedDict(conv=nn.Conv2d(1, 2, 3), bn=nn.BatchNorm2d(2), fc=nn.Linear(2, 2))).state_dict().keys()
    @Test func stateDictionaryOrderAndKinds() throws {
        var generator = RandomGenerator(seed: 71)
        let net = try Sequential([
            ("conv", try Conv2d(inChannels: 1, outChannels: 2, kernelSize: 3, generator: &generator)),
            ("bn", try BatchNorm2d(numFeatures: 2)),
            ("fc", try Linear(inFeatures: 2, outFeatures: 2, generator: &generator)),
        ])
        let entries = net.stateDictionary()
        #expect(entries.map(\.name) == ["conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                                        "bn.num_batches_tracked", "fc.weight", "fc.bias"])
        #expect(entries.map(\.kind) == [.parameter, .parameter, .parameter, .parameter, .buffer, .buffer, .integerBuffer, .parameter, .parameter])
        #expect(net.namedBuffers().map(\.name) == ["bn.running_mean", "bn.running_var", "bn.num_batches_tracked"])
        #expect(net.namedParameters().count == 6)
        #expect(net.parameterCount == 2 * 9 + 2 + 2 + 2 + 4 + 2)
    }

    @Test func trainAndEvalAreRecursive() throws {
        let net = try makeLeNet()
        let modes = { net.children.map(\.module.isTraining) }
        #expect(net.isTraining && modes() == [Bool](repeating: true, count: 12))
        net.eval()
        #expect(!net.isTraining && modes() == [Bool](repeating: false, count: 12))
        net.train()
        #expect(net.isTraining && modes() == [Bool](repeating: true, count: 12))
    }

    /// PyTorch's default init bounds: weights and biases of Linear(400, 120) lie in ±1/√400 = ±0.05,
    /// are not all equal, and the same seed gives the same values.
    @Test func defaultInitialisationIsSeededAndBounded() throws {
        var first = RandomGenerator(seed: 72), second = RandomGenerator(seed: 72)
        let a = try Linear(inFeatures: 400, outFeatures: 120, generator: &first)
        let b = try Linear(inFeatures: 400, outFeatures: 120, generator: &second)
        #expect(a.weight.value == b.weight.value && a.bias!.value == b.bias!.value)
        let weights = a.weight.value.scalars
        #expect(weights.allSatisfy { abs($0) <= 0.05 } && (weights.max()! - weights.min()!) > 0.09)
        #expect(a.bias!.value.scalars.allSatisfy { abs($0) <= 0.05 })
        let batchNorm = try BatchNorm2d(numFeatures: 3)
        #expect(batchNorm.weight!.value.scalars == [1, 1, 1] && batchNorm.bias!.value.scalars == [0, 0, 0])
        #expect(batchNorm.runningVar!.value.scalars == [1, 1, 1] && batchNorm.numBatchesTracked!.value.scalars == [0])
    }
}

/// Weight tying as PyTorch code ties (`self.head.weight = self.tok.weight`): PyTorch's
/// `named_parameters()` lists the shared parameter once, under its first name, `state_dict()` under
/// both, and the gradient is the sum of both uses (its value here: the gradient of the embedding
/// path plus that of the head, each computed alone).
@Suite struct WeightTyingTests {
    func tiedNetwork() throws -> (Sequential, Embedding, Linear) {
        var generator = RandomGenerator(seed: 4)
        let tok = try Embedding(numEmbeddings: 5, embeddingDim: 3, generator: &generator)
        let head = try Linear(inFeatures: 3, outFeatures: 5, bias: false, generator: &generator)
        try head.tieWeight(to: tok.weight)
        return (try Sequential([("tok", tok), ("head", head)]), tok, head)
    }

    @Test func namedOnceStatedTwice() throws {
        let (network, tok, head) = try tiedNetwork()
        #expect(network.namedParameters().map(\.name) == ["tok.weight"])
        #expect(network.stateDictionary().map(\.name) == ["tok.weight", "head.weight"])
        #expect(head.weight === tok.weight && network.parameterCount == 15)
        var generator = RandomGenerator(seed: 5)
        let other = try Linear(inFeatures: 4, outFeatures: 5, generator: &generator)
        #expect(throws: NNError.self) { try other.tieWeight(to: tok.weight) }
    }

    @Test func gradientSumsBothUses() throws {
        let (network, tok, _) = try tiedNetwork()
        let ids = Variable(Tensor(shape: [2, 2], scalars: [1, 4, 0, 1]))
        let gradient = Tensor(shape: [2, 2, 5], scalars: (0..<20).map { Float($0 % 7) - 3 })
        try network(ids).backward(gradient: gradient)
        let summed = try #require(tok.weight.grad)
        // The same products with two untied copies of the weight: their gradients add up to the tied one.
        let embeddingCopy = Variable(tok.weight.value, requiresGrad: true), headCopy = Variable(tok.weight.value, requiresGrad: true)
        let vectors = try embedding(ids.value, weight: embeddingCopy, paddingIdx: nil, scaleGradByFreq: false)
        try linear(vectors, weight: headCopy, bias: nil).backward(gradient: gradient)
        let expected = zip(try #require(embeddingCopy.grad).scalars, try #require(headCopy.grad).scalars).map(+)
        #expect(zip(summed.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-5 })
    }
}
