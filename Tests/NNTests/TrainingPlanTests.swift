import NNTensor
import Testing
@testable import NN

@Suite("Training plan")
struct TrainingPlanTests {
    /// examples/lenet.yaml's network: two 5×5 convolutions with ReLU and 2×2 max pooling, three
    /// Linear layers.
    static func lenet(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            ("conv1", try Conv2d(inChannels: 1, outChannels: 6, kernelSize: 5, generator: &generator)), ("1", ReLU()),
            ("2", try MaxPool2d(kernelSize: 2)),
            ("conv2", try Conv2d(inChannels: 6, outChannels: 16, kernelSize: 5, generator: &generator)), ("4", ReLU()),
            ("5", try MaxPool2d(kernelSize: 2)), ("6", Flatten()),
            ("fc1", try Linear(inFeatures: 16 * 5 * 5, outFeatures: 120, generator: &generator)), ("8", ReLU()),
            ("fc2", try Linear(inFeatures: 120, outFeatures: 84, generator: &generator)), ("10", ReLU()),
            ("fc3", try Linear(inFeatures: 84, outFeatures: 10, generator: &generator)),
        ])
    }

    /// A multilayer perceptron through every planned activation and dropout, on [N, 3, 4] rows.
    static func perceptron(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            Flatten(), try Linear(inFeatures: 12, outFeatures: 16, generator: &generator), ReLU(),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), LeakyReLU(negativeSlope: 0.2),
            try Sequential([try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), ELU(alpha: 0.7)]),
            try Linear(inFeatures: 16, outFeatures: 16, bias: false, generator: &generator), try GELU(),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), try GELU(approximate: "tanh"),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), Sigmoid(), Identity(),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), Tanh(), try Dropout(p: 0, generator: &generator),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), try Dropout(p: 0.3, generator: &generator),
            try Linear(inFeatures: 16, outFeatures: 5, generator: &generator),
        ])
    }

    /// A multilayer perceptron through ReLU6, SiLU, Hardswish, Softplus (twice: the default, and a
    /// threshold that random activations cross) and Mish, on [N, 3, 4] rows.
    static func smoothPerceptron(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            Flatten(), try Linear(inFeatures: 12, outFeatures: 16, generator: &generator), ReLU6(inplace: true),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), SiLU(),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), Hardswish(),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), Softplus(),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), Softplus(beta: 3, threshold: 0.5),
            try Linear(inFeatures: 16, outFeatures: 16, generator: &generator), Mish(),
            try Linear(inFeatures: 16, outFeatures: 5, generator: &generator),
        ])
    }

    /// The perceptron (nested) followed by batch normalisation of its logits: batches of two or more.
    static func normalizedPerceptron(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([try perceptron(&generator), try BatchNorm1d(numFeatures: 5)])
    }

    /// Convolutions with groups, stride, padding, dilation and without bias; both poolings with
    /// padding and ceil mode; pooling first, before any parameter; batch normalisation with and
    /// without affine parameters and a cumulative running average, each followed by a rectifier that
    /// runs inside it (ReLU, ReLU6).
    static func convolutions(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            try AvgPool2d(kernelSize: 3, stride: 1, padding: 1, countIncludePad: false), Tanh(),
            try Conv2d(inChannels: 4, outChannels: 6, kernelSize: .pair(3, 2), stride: .pair(2, 1), padding: .pair(1, 2),
                       dilation: .pair(1, 2), groups: 2, generator: &generator), try BatchNorm2d(numFeatures: 6), ReLU(),
            try MaxPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true),
            try Conv2d(inChannels: 6, outChannels: 4, kernelSize: 3, padding: .same, bias: false, generator: &generator),
            try BatchNorm2d(numFeatures: 4, momentum: nil, affine: false), ReLU6(),
            try AvgPool2d(kernelSize: 2, ceilMode: true), Flatten(),
            try Linear(inFeatures: 4 * 2 * 3, outFeatures: 7, generator: &generator),
        ])
    }

    /// Conv2d → ReLU → MaxPool2d runs fused for direct convolutions (`DirectConvolution`: with groups,
    /// padding, dilation, stride 2, no bias, a padded ceil-mode pooling over an odd output).
    static func convolutionPoolings(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            try Conv2d(inChannels: 2, outChannels: 7, kernelSize: .pair(3, 2), padding: .pair(1, 0), dilation: .pair(1, 2),
                       generator: &generator), ReLU(), try MaxPool2d(kernelSize: 2),
            try Conv2d(inChannels: 7, outChannels: 4, kernelSize: 2, padding: 1, groups: 1, bias: false, generator: &generator),
            ReLU(), try MaxPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true),
            try Conv2d(inChannels: 4, outChannels: 6, kernelSize: 1, stride: 2, groups: 2, generator: &generator), ReLU(),
            try MaxPool2d(kernelSize: 1), Flatten(),
            try Linear(inFeatures: 6 * 2 * 2, outFeatures: 5, generator: &generator),
        ])
    }

    /// Trains two copies of a network (same seed) for `steps` SGD-momentum steps on random batches,
    /// one through autograd and one through a TrainingPlan, and expects the same losses, parameters
    /// and gradients, bit for bit. Without `zeroGrad`, gradients accumulate over the steps.
    func expectPlanMatchesAutograd(_ makeNetwork: (inout RandomGenerator) throws -> Module, loss: CrossEntropyLoss,
                                   input sample: [Int], classes: Int, batch: Int, threads: Int = 1, steps: Int = 4,
                                   zeroGrad: Bool = true, ignoredClass: Int? = nil) throws {
        try Self.expectPlanMatchesAutograd(makeNetwork, loss: loss, input: sample, batch: batch, threads: threads, steps: steps,
                                           zeroGrad: zeroGrad) { data, output in
            .classes((0..<(output.elementCount / classes)).map { index in
                index == 0 && ignoredClass != nil ? ignoredClass! : data.index(below: classes)
            })
        }
    }

    /// As above for any loss, with `target(data, outputShape)` drawing each step's target and
    /// `inputValue` each input element (standard normal by default).
    static func expectPlanMatchesAutograd(_ makeNetwork: (inout RandomGenerator) throws -> Module, loss: any Loss,
                                          input sample: [Int], batch: Int, threads: Int = 1, steps: Int = 4, zeroGrad: Bool = true,
                                          inputValue: (inout RandomGenerator) -> Float = { $0.normal() },
                                          target: (inout RandomGenerator, [Int]) -> LossTarget) throws {
        let pool = WorkerPool.shared, savedThreads = pool.threadCount
        pool.threadCount = threads
        defer { pool.threadCount = savedThreads }
        var seeds = RandomGenerator(seed: 7)
        let autogradNetwork = try makeNetwork(&seeds)
        seeds = RandomGenerator(seed: 7)
        let plannedNetwork = try makeNetwork(&seeds)
        let autogradOptimizer = try SGD(autogradNetwork.parameters(), lr: 0.05, momentum: 0.9)
        let plannedOptimizer = try SGD(plannedNetwork.parameters(), lr: 0.05, momentum: 0.9)
        let shape = [batch] + sample
        let plan = try TrainingPlan(network: plannedNetwork, loss: loss, inputShape: shape)
        var data = RandomGenerator(seed: 99)
        for step in 0..<steps {
            let input = Tensor(shape: shape, scalars: (0..<shape.elementCount).map { _ in inputValue(&data) })
            let targets = target(&data, plan.outputShape)
            if zeroGrad {
                autogradOptimizer.zeroGrad()
                plannedOptimizer.zeroGrad()
            }
            let lossVariable = try loss(autogradNetwork(Variable(input)), targets)
            try lossVariable.backward()
            let plannedLoss = try plan.step(input, target: targets)
            #expect(plannedLoss == lossVariable.value.scalar, "step \(step)")
            for ((name, expected), (_, actual)) in zip(autogradNetwork.namedParameters(), plannedNetwork.namedParameters()) {
                #expect(actual.grad != nil && actual.grad == expected.grad, "step \(step): \(name).grad")
            }
            try autogradOptimizer.step()
            try plannedOptimizer.step()
            for (expected, actual) in zip(autogradNetwork.stateDictionary(), plannedNetwork.stateDictionary()) {
                #expect(actual.variable.value == expected.variable.value, "step \(step): \(expected.name)")
            }
        }
    }

    @Test(arguments: [1, 16], [1, 2])
    func lenetTrainsAsAutograd(batch: Int, threads: Int) throws {
        try expectPlanMatchesAutograd(Self.lenet, loss: try CrossEntropyLoss(), input: [1, 32, 32], classes: 10,
                                      batch: batch, threads: threads)
    }

    @Test(arguments: [1, 16], [1, 2])
    func perceptronTrainsAsAutograd(batch: Int, threads: Int) throws {
        try expectPlanMatchesAutograd(Self.perceptron, loss: try CrossEntropyLoss(), input: [3, 4], classes: 5,
                                      batch: batch, threads: threads)
    }

    @Test(arguments: [1, 16], [1, 2])
    func smoothActivationsTrainAsAutograd(batch: Int, threads: Int) throws {
        try expectPlanMatchesAutograd(Self.smoothPerceptron, loss: try CrossEntropyLoss(), input: [3, 4], classes: 5,
                                      batch: batch, threads: threads)
    }

    @Test(arguments: [1, 2])
    func convolutionGeometriesTrainAsAutograd(threads: Int) throws {
        try expectPlanMatchesAutograd(Self.convolutions, loss: try CrossEntropyLoss(), input: [4, 7, 8], classes: 7,
                                      batch: 5, threads: threads)
    }

    @Test(arguments: [1, 2])
    func fusedConvolutionPoolingsTrainAsAutograd(threads: Int) throws {
        try expectPlanMatchesAutograd(Self.convolutionPoolings, loss: try CrossEntropyLoss(), input: [2, 9, 11], classes: 5,
                                      batch: 3, threads: threads)
    }

    /// Class weights, label smoothing, an ignored target and the sum reduction, with gradients
    /// accumulating over steps (no zeroGrad).
    @Test func lossOptionsAndAccumulationMatchAutograd() throws {
        let weight = Tensor(shape: [5], scalars: [0.5, 1, 2, 1.5, 0.25])
        try expectPlanMatchesAutograd(Self.normalizedPerceptron, loss: try CrossEntropyLoss(weight: weight, ignoreIndex: 3, labelSmoothing: 0.1),
                                      input: [3, 4], classes: 5, batch: 6, ignoredClass: 3)
        try expectPlanMatchesAutograd(Self.perceptron, loss: try CrossEntropyLoss(reduction: .sum, labelSmoothing: 0.2),
                                      input: [3, 4], classes: 5, batch: 6, steps: 3, zeroGrad: false)
    }

    /// In evaluation mode dropout passes its input through and batch normalisation uses its running
    /// statistics; the plan does the same.
    @Test func evaluationModeLayersMatchAutograd() throws {
        try expectPlanMatchesAutograd({ generator in
            let network = try Self.normalizedPerceptron(&generator)
            network.eval()
            return network
        }, loss: try CrossEntropyLoss(), input: [3, 4], classes: 5, batch: 4, steps: 2)
    }

    @Test func unsupportedNetworksAndLossesAreRefused() throws {
        var generator = RandomGenerator(seed: 3)
        let linear = try Linear(inFeatures: 4, outFeatures: 3, generator: &generator)
        func refusal(_ network: Module, _ loss: any Loss = try! CrossEntropyLoss(), input: [Int] = [2, 4]) -> String? {
            do {
                _ = try TrainingPlan(network: network, loss: loss, inputShape: input)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal(try Sequential([linear]), BCELoss())?.contains("BCELoss") == true)
        #expect(refusal(try Sequential([linear]), try CrossEntropyLoss(reduction: .none))?.contains("reduction") == true)
        #expect(refusal(try Sequential([linear]), MSELoss(reduction: .none))?.contains("reduction") == true)
        #expect(refusal(try Sequential([linear]), try CrossEntropyLoss(weight: Tensor(zeros: [4])))?.contains("weight") == true)
        #expect(refusal(try Sequential([linear]), input: [2, 5])?.contains("[2, 5]") == true)
        #expect(refusal(try Sequential([try Linear(inFeatures: 0, outFeatures: 3, generator: &generator)]))?.contains("[2, 4]") == true)
        #expect(refusal(try Sequential([ReLU(), Flatten()]))?.contains("no parameters") == true)
        #expect(refusal(linear)?.contains("Sequential") == true)
        let convolution = try Conv2d(inChannels: 1, outChannels: 2, kernelSize: 1, generator: &generator)
        let tracking = try InstanceNorm2d(numFeatures: 2, trackRunningStats: true)
        #expect(refusal(try Sequential([convolution, tracking, Flatten()]), input: [1, 1, 1, 1])?.contains("spatial element") == true)
        #expect(refusal(try Sequential([linear, try BatchNorm1d(numFeatures: 3)]), input: [1, 4])?.contains("single value") == true)
        // Planning draws no dropout mask and updates no running statistics.
        let dropout = try Dropout(p: 0.5, generator: &generator), batchNorm = try BatchNorm1d(numFeatures: 3)
        let dropoutState = dropout.generator.state
        #expect(refusal(try Sequential([linear, batchNorm, dropout])) == nil)
        #expect(dropout.generator.state == dropoutState)
        #expect(batchNorm.runningMean?.value == Tensor(zeros: [3]) && batchNorm.numBatchesTracked?.value.scalar == 0)
        #expect(refusal(try Sequential([convolution, tracking, Flatten()]), input: [1, 1, 2, 2]) == nil)
        #expect(tracking.runningMean?.value == Tensor(zeros: [2]) && tracking.runningVar?.value == Tensor(repeating: 1, shape: [2]))
        let evenSame = try Conv2d(inChannels: 1, outChannels: 2, kernelSize: 2, padding: .same, generator: &generator)
        #expect(refusal(try Sequential([evenSame, Flatten()]), input: [1, 1, 4, 4])?.contains("same") == true)
    }

    /// A bad batch throws autograd's error; a parameter reshaped since planning throws too.
    @Test func badBatchesAndReshapedParametersThrow() throws {
        var generator = RandomGenerator(seed: 4)
        let network = try Sequential([try Linear(inFeatures: 4, outFeatures: 3, generator: &generator)])
        let plan = try TrainingPlan(network: network, loss: try CrossEntropyLoss(), inputShape: [2, 4])
        let input = Tensor(zeros: [2, 4])
        #expect(throws: NNError.invalidArgument("CrossEntropyLoss: target 3 is out of bounds for 3 classes (input [2, 3])")) {
            try plan.forward(input, classes: [0, 3])
        }
        #expect(throws: NNError.shapeMismatch("CrossEntropyLoss input [2, 3] needs 2 targets (shape [2]) but got 1")) {
            try plan.forward(input, classes: [0])
        }
        #expect(throws: NNError.shapeMismatch("the training plan was made for input [2, 4] but got [3, 4]")) {
            try plan.forward(Tensor(zeros: [3, 4]), classes: [0, 1, 2])
        }
        let weight = try network.state(named: "0.weight")
        weight.grad = Tensor(zeros: [4, 3])
        #expect(throws: NNError.shapeMismatch(
            "the training plan was made for a parameter of shape [3, 4], which now has shape [3, 4] and a gradient of shape [4, 3]")) {
            try plan.forward(input, classes: [0, 1])
        }
        weight.grad = nil
        weight.value = Tensor(zeros: [3, 5])
        #expect(throws: NNError.shapeMismatch("the training plan was made for a parameter of shape [3, 4], which now has shape [3, 5]")) {
            try plan.forward(input, classes: [0, 1])
        }
    }
}
