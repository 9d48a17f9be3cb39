import Foundation
import NN
import NNTensor
import Testing

/// The torch.nn tutorial (https://pytorch.org/tutorials/beginner/blitz/neural_networks_tutorial.html)
/// as a test: its LeNet built with this library, PyTorch's weights loaded by name, and every number
/// the tutorial prints reproduced from Tests/Reference/tutorial.safetensors (make_tutorial() in
/// make_reference.py).
@Suite struct TutorialTests {
    /// The tutorial's `Net`: conv1 1→6 k5, conv2 6→16 k5, fc1 400→120, fc2 120→84, fc3 84→10.
    /// input [N, 1, 32, 32] → output [N, 10].
    final class Net: Module {
        let conv1: Conv2d, conv2: Conv2d, fc1: Linear, fc2: Linear, fc3: Linear
        // The tutorial's F.relu, F.max_pool2d and torch.flatten: stateless, so not registered.
        let relu = ReLU(), flatten = Flatten()
        let pool: MaxPool2d

        init(generator: inout RandomGenerator) throws {
            conv1 = try Conv2d(inChannels: 1, outChannels: 6, kernelSize: 5, generator: &generator)
            conv2 = try Conv2d(inChannels: 6, outChannels: 16, kernelSize: 5, generator: &generator)
            fc1 = try Linear(inFeatures: 16 * 5 * 5, outFeatures: 120, generator: &generator)
            fc2 = try Linear(inFeatures: 120, outFeatures: 84, generator: &generator)
            fc3 = try Linear(inFeatures: 84, outFeatures: 10, generator: &generator)
            pool = try MaxPool2d(kernelSize: 2)
            super.init()
            for (name, module) in [("conv1", conv1), ("conv2", conv2), ("fc1", fc1), ("fc2", fc2), ("fc3", fc3)] as [(String, Module)] {
                registerModule(name, module)
            }
        }

        override func forward(_ input: Variable) throws(NNError) -> Variable {
            let s2 = try pool(relu(conv1(input)))
            let s4 = try flatten(pool(relu(conv2(s2))))
            return try fc3(relu(fc2(relu(fc1(s4)))))
        }
    }

    let file: SafetensorsFile
    let net: Net

    init() throws {
        file = try Reference.load("tutorial.safetensors")
        var generator = RandomGenerator(seed: 0)
        net = try Net(generator: &generator)
        let prefix = "weights."
        try net.loadState(from: SafetensorsFile(tensors: file.tensors.filter { $0.name.hasPrefix(prefix) }.map {
            NamedTensor(String($0.name.dropFirst(prefix.count)), $0.tensor)
        }))
    }

    @Test func tenParametersWithPyTorchsNamesAndSizes() throws {
        let expected = try #require(try Reference.metadata(file)["named_parameters"] as? [[Any]])
        let parameters = net.namedParameters()
        #expect(parameters.count == 10)
        #expect(parameters.map(\.name) == expected.map { $0[0] as? String })
        #expect(parameters.map(\.parameter.shape) == expected.map { ($0[1] as? [Int]) ?? [] })
        #expect(parameters[0].parameter.shape == [6, 1, 5, 5])
        #expect(net.parameterCount == 61_706)
    }

    @Test func printsLikePyTorch() throws {
        #expect(net.description == (try Reference.metadata(file)["net"] as? String))
    }

    @Test func outputAndBackwardWithARandomGradient() throws {
        let input = Variable(try file.tensor(named: "input"))
        let out = try net(input)
        expectClose(out.value, try file.tensor(named: "output"), "net(input)")
        net.zeroGrad()
        try out.backward(gradient: try file.tensor(named: "grad_output"))
        for name in ["conv1.bias", "conv1.weight", "fc3.bias"] {
            expectClose(try #require(net.state(named: name).grad), try file.tensor(named: "out_backward.\(name).grad"),
                        "\(name).grad after out.backward(randn(1, 10))")
        }
    }

    @Test func mseLossBackwardAndOneSGDStep() throws {
        let input = Variable(try file.tensor(named: "input"))
        let target = try file.tensor(named: "target")
        let criterion = MSELoss()
        let loss = try criterion(try net(input), target)
        expectClose(loss.value, try file.tensor(named: "loss"), "loss")

        net.zeroGrad()
        #expect(try Reference.metadata(file)["conv1_bias_grad_before_backward"] is NSNull)
        #expect(net.conv1.bias?.grad == nil)
        try loss.backward()
        expectClose(try #require(net.conv1.bias?.grad), try file.tensor(named: "mse_backward.conv1.bias.grad"),
                    "conv1.bias.grad after backward")

        let optimizer = try SGD(net.namedParameters().map(\.parameter), lr: 0.01)
        optimizer.zeroGrad()
        try criterion(try net(input), target).backward()
        try optimizer.step()
        for (name, parameter) in net.namedParameters() {
            expectClose(parameter.value, try file.tensor(named: "after_step.\(name)"), "\(name) after one SGD step")
        }
    }
}
