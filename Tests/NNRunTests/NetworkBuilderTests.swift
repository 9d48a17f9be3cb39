import NN
import NNCatalogue
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// The spec validated from `text`, or a recorded issue listing its diagnostics.
func validatedSpec(_ text: String, file: String = "test.yaml") throws -> ValidatedSpec {
    let result = SpecValidator.standard.validate(source: Array(text.utf8), file: file, baseDirectory: repositoryRoot.path)
    return try #require(result.spec, "\(result.diagnostics.map(\.message))")
}

@Suite struct NetworkBuilderTests {
    @Test func lenetPrintsAndNamesItsParametersAsPyTorch() throws {
        let path = repositoryRoot.appendingPathComponent("examples/lenet.yaml").path
        let spec = try #require(SpecValidator.standard.validate(file: path).spec)
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        // The tutorial's Net registers five modules; its forward calls F.relu, F.max_pool2d and
        // torch.flatten (tools/check_example_prints.py compares the class itself):
        //   print(Net()); print([(n, list(p.shape)) for n, p in Net().named_parameters()])
        #expect(network is Graph)
        #expect(network.description == """
            Net(
              (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
              (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
              (fc1): Linear(in_features=400, out_features=120, bias=True)
              (fc2): Linear(in_features=120, out_features=84, bias=True)
              (fc3): Linear(in_features=84, out_features=10, bias=True)
            )
            """)
        let named = network.namedParameters().map { "\($0.name) \($0.parameter.shape)" }
        #expect(named == ["conv1.weight [6, 1, 5, 5]", "conv1.bias [6]", "conv2.weight [16, 6, 5, 5]", "conv2.bias [16]",
                          "fc1.weight [120, 400]", "fc1.bias [120]", "fc2.weight [84, 120]", "fc2.bias [84]",
                          "fc3.weight [10, 84]", "fc3.bias [10]"])
        #expect(named == spec.namedParameters.map { "\($0.name) \($0.shape)" })
        #expect(network.parameterCount == 61706)
        let output = try network(Variable(Tensor(zeros: [2, 1, 32, 32])))
        #expect(output.shape == [2, 10])
    }

    @Test func theSameSeedGivesTheSameWeights() throws {
        let spec = try validatedSpec("nnspec: 1\ninput: [N, 4]\nlayers:\n  - {type: Linear, in_features: auto, out_features: 3}\n  - Tanh\n  - {type: Linear, in_features: auto, out_features: 2}\n")
        var first = RandomGenerator(seed: 7), second = RandomGenerator(seed: 7), third = RandomGenerator(seed: 8)
        let weights = { (generator: inout RandomGenerator) throws -> [Tensor] in
            try NetworkBuilder.build(spec, generator: &generator).namedParameters().map(\.parameter.value)
        }
        #expect(try weights(&first) == weights(&second))
        #expect(try weights(&first) != weights(&third))
        #expect(try NetworkBuilder.build(spec, generator: &first).namedParameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
    }

    @Test func fromConnectionsMakeAGraph() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            name: Residual
            input: [N, 4]
            layers:
              - {name: fc1, type: Linear, in_features: 4, out_features: 4}
              - {name: act, type: ReLU}
              - {name: fc2, type: Linear, in_features: 4, out_features: 4}
              - {name: sum, type: Add, from: [fc2, input]}
            """)
        var generator = RandomGenerator(seed: 1)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        #expect(network is Graph)
        #expect(network.namedParameters().map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        // y = fc2(relu(fc1(x))) + x: with fc2's weights and bias zero, y = x.
        let fc2Weight = try network.state(named: "fc2.weight"), fc2Bias = try network.state(named: "fc2.bias")
        fc2Weight.value = Tensor(zeros: fc2Weight.shape)
        fc2Bias.value = Tensor(zeros: fc2Bias.shape)
        let input = Tensor(shape: [1, 4], scalars: [1, -2, 3, -4])
        #expect(try network(Variable(input)).value == input)
    }

    @Test func everyLayerTypeOfTheCatalogueIsBuiltOrNamed() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 3, 8, 8]
            layers:
              - {type: Conv2d, in_channels: auto, out_channels: 4, kernel_size: [3, 3], padding: 1, bias: false}
              - {type: BatchNorm2d, num_features: 4}
              - {type: LeakyReLU, negative_slope: 0.2}
              - {type: AvgPool2d, kernel_size: 2}
              - {type: MaxPool2d, kernel_size: 2, stride: 1}
              - {type: AdaptiveAvgPool2d, output_size: 2}
              - ELU
              - {type: Flatten}
              - {type: LayerNorm, normalized_shape: 16}
              - {type: Dropout, p: 0.25}
              - {type: Linear, in_features: auto, out_features: 6}
              - {type: BatchNorm1d, num_features: 6}
              - GELU
              - Sigmoid
              - Identity
              - {type: LogSoftmax, dim: 1}
            """)
        var generator = RandomGenerator(seed: 2)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        #expect(network.namedParameters().map { "\($0.name) \($0.parameter.shape)" } == spec.namedParameters.map { "\($0.name) \($0.shape)" })
        #expect(network.namedBuffers().map { "\($0.name) \($0.buffer.shape)" } == spec.namedBuffers.map { "\($0.name) \($0.shape)" })
        #expect(try network(Variable(Tensor(zeros: [2, 3, 8, 8]))).shape == [2, 6])
    }

    @Test func aTypeOutsideTheCatalogueIsNamedWithItsPlace() throws {
        var spec = try validatedSpec("nnspec: 1\ninput: [N, 4]\nlayers:\n  - Identity\n")
        spec.layers[0].typeName = "Bilinear"
        var generator = RandomGenerator(seed: 0)
        let error = try #require(throws: BuildError.self) { try NetworkBuilder.build(spec, generator: &generator) }
        #expect(error.description == "4:5: layer 0 (Bilinear): not a layer type of the catalogue")
    }

    /// class Net(nn.Sequential): pass
    /// print(Net(nn.ReLU(inplace=True), nn.LeakyReLU(0.2, inplace=True), nn.ELU(alpha=0.5, inplace=True),
    ///           nn.Dropout(0.3, inplace=True), nn.ReLU()))
    @Test func inplaceIsPrintedAsPyTorch() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 4]
            layers:
              - {type: ReLU, inplace: true}
              - {type: LeakyReLU, negative_slope: 0.2, inplace: true}
              - {type: ELU, alpha: 0.5, inplace: true}
              - {type: Dropout, p: 0.3, inplace: true}
              - ReLU
            """)
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        #expect(network.description == """
            Net(
              (0): ReLU(inplace=True)
              (1): LeakyReLU(negative_slope=0.2, inplace=True)
              (2): ELU(alpha=0.5, inplace=True)
              (3): Dropout(p=0.3, inplace=True)
              (4): ReLU()
            )
            """)
    }

    /// class Net(nn.Sequential): pass
    /// net = Net(nn.BatchNorm1d(2, momentum=None, bias=False)); print(net)
    /// x = torch.tensor([[1.,2.],[3.,-1.],[-2.,0.5]]); net(x); net(x*2); net(x+1)
    /// print(net[0].running_mean, net[0].running_var, net[0].num_batches_tracked)
    /// # tensor([1.22222221, 1.00000000]) tensor([12.66666603,  4.50000000]) tensor(3)
    @Test func batchNormTakesBiasAndMomentumNone() throws {
        let spec = try validatedSpec("nnspec: 1\ninput: [N, 2]\nlayers:\n  - {type: BatchNorm1d, num_features: 2, momentum: null, bias: false}\n")
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        #expect(network.description == """
            Net(
              (0): BatchNorm1d(2, eps=1e-05, momentum=None, affine=True, bias=False, track_running_stats=True)
            )
            """)
        #expect(network.namedParameters().map(\.name) == ["0.weight"])
        let batch: [Float] = [1, 2, 3, -1, -2, 0.5]
        for scalars in [batch, batch.map { $0 * 2 }, batch.map { $0 + 1 }] {
            _ = try network(Variable(Tensor(shape: [3, 2], scalars: scalars)))
        }
        let runningMean = try network.state(named: "0.running_mean").value.scalars
        let runningVar = try network.state(named: "0.running_var").value.scalars
        for (actual, expected) in zip(runningMean + runningVar, [1.22222221, 1, 12.66666603, 4.5] as [Float]) {
            #expect(abs(actual - expected) <= 1e-5 * max(1, abs(expected)), "\(runningMean) \(runningVar)")
        }
        #expect(try network.state(named: "0.num_batches_tracked").value.scalars == [3])
    }

    @Test func reshapeKeepsTheBatchAndInfersTheWildcard() throws {
        let spec = try validatedSpec("nnspec: 1\ninput: [N, 2, 6]\nlayers:\n  - {type: Reshape, shape: [3, -1]}\n")
        var generator = RandomGenerator(seed: 0)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        #expect(network.description.hasSuffix("(\n  (0): Reshape(shape=(3, -1))\n)"))
        let input = Variable(Tensor(shape: [2, 2, 6], scalars: (0..<24).map(Float.init)))
        let output = try network(input)
        #expect(output.shape == [2, 3, 4])
        #expect(output.value.scalars == input.value.scalars)
    }
}
