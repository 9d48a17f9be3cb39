import NNTensor
import Testing
@testable import NN

/// Training plans over networks with branches (`Graph` nodes reading earlier nodes, joined by Add
/// or Concat) and with the elementwise regression losses: the same losses, gradients and
/// parameters as autograd, bit for bit (`TrainingPlanTests.expectPlanMatchesAutograd`).
@Suite("Training plan over graphs")
struct TrainingPlanGraphTests {
    /// examples/resnet.yaml's shape at a smaller size: a stem, a block with an identity shortcut,
    /// a stride-2 block with a 1×1 projection shortcut, adaptive average pooling and a classifier.
    static func residual(_ generator: inout RandomGenerator) throws -> Module {
        try Graph(name: "TinyResNet", [
            .init("stem", try Conv2d(inChannels: 3, outChannels: 4, kernelSize: 3, padding: 1, bias: false, generator: &generator)),
            .init("stem_bn", try BatchNorm2d(numFeatures: 4)), .init("stem_relu", ReLU()),
            .init("b1_conv1", try Conv2d(inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1, bias: false, generator: &generator)),
            .init("b1_bn1", try BatchNorm2d(numFeatures: 4)), .init("b1_relu", ReLU()),
            .init("b1_conv2", try Conv2d(inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1, bias: false, generator: &generator)),
            .init("b1_bn2", try BatchNorm2d(numFeatures: 4)),
            .init("b1_add", Add(), from: ["b1_bn2", "stem_relu"]), .init("b1_out", ReLU()),
            .init("b2_conv1", try Conv2d(inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2, padding: 1, bias: false, generator: &generator)),
            .init("b2_bn1", try BatchNorm2d(numFeatures: 6)), .init("b2_relu", ReLU()),
            .init("b2_conv2", try Conv2d(inChannels: 6, outChannels: 6, kernelSize: 3, padding: 1, bias: false, generator: &generator)),
            .init("b2_bn2", try BatchNorm2d(numFeatures: 6)),
            .init("b2_shortcut", try Conv2d(inChannels: 4, outChannels: 6, kernelSize: 1, stride: 2, bias: false, generator: &generator),
                  from: ["b1_out"]),
            .init("b2_add", Add(), from: ["b2_bn2", "b2_shortcut"]), .init("b2_out", ReLU()),
            .init("pool", try AdaptiveAvgPool2d(outputSize: 1)), .init("flatten", Flatten()),
            .init("fc", try Linear(inFeatures: 6, outFeatures: 5, generator: &generator)),
        ])
    }

    /// examples/mobilenet_v2.yaml's inverted residual block, nested as the builder nests it: a
    /// Sequential of a Graph whose `conv` Sequential expands (1×1), filters depthwise (groups = channels)
    /// and projects, with ReLU6, and adds the block's input first (`from: [input, conv]`); then
    /// F.adaptive_avg_pool2d to 2×2 (uneven bins), dropout and a classifier.
    static func invertedResidual(_ generator: inout RandomGenerator) throws -> Module {
        func convolutionNormActivation(_ input: Int, _ output: Int, kernelSize: Int, groups: Int = 1) throws -> Module {
            try Sequential([
                try Conv2d(inChannels: input, outChannels: output, kernelSize: .single(kernelSize), padding: .sizes(.single((kernelSize - 1) / 2)),
                           groups: groups, bias: false, generator: &generator),
                try BatchNorm2d(numFeatures: output), ReLU6(inplace: true),
            ])
        }
        let block = try Graph(name: "InvertedResidual", [
            .init("conv", try Sequential([
                try convolutionNormActivation(4, 12, kernelSize: 1), try convolutionNormActivation(12, 12, kernelSize: 3, groups: 12),
                try Conv2d(inChannels: 12, outChannels: 4, kernelSize: 1, bias: false, generator: &generator), try BatchNorm2d(numFeatures: 4),
            ])),
            .init("add", Add(), from: ["input", "conv"], registers: false),
        ])
        return try Sequential([
            try convolutionNormActivation(3, 4, kernelSize: 3), block,
            try Graph([
                .init("pool", try AdaptiveAvgPool2d(outputSize: .pair(2, 2)), registers: false),
                .init("flatten", Flatten(), registers: false),
            ]),
            try Dropout(p: 0.2, generator: &generator), try Linear(inFeatures: 16, outFeatures: 5, generator: &generator),
        ])
    }

    /// Fan-out of every kind: the stem's output read by three branches and a Concat; a branch read by an
    /// Add twice (the Add's ReLU run in its pass); a BatchNorm and an AvgPool2d (which add into their input's gradient) reading a node
    /// that a convolution also reads; a Flatten whose output two Linear layers read; Concat along
    /// channels and along the last dimension.
    static func branches(_ generator: inout RandomGenerator) throws -> Module {
        try Graph(name: "Branches", [
            .init("stem", try Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1, generator: &generator)),
            .init("a", try Conv2d(inChannels: 3, outChannels: 2, kernelSize: 1, generator: &generator), from: ["stem"]),
            .init("a_tanh", Tanh()),
            .init("b", try BatchNorm2d(numFeatures: 3), from: ["stem"]),
            .init("c", try AvgPool2d(kernelSize: 3, stride: 1, padding: 1), from: ["stem"]),
            .init("twice", Add(), from: ["a_tanh", "a_tanh"]),
            .init("twice_relu", ReLU()),
            .init("channels", Concat(dim: 1), from: ["twice_relu", "b", "stem", "c"]),
            .init("mixed", try Conv2d(inChannels: 11, outChannels: 3, kernelSize: 3, stride: 2, padding: 1, generator: &generator)),
            .init("pooled", try MaxPool2d(kernelSize: 2), from: ["c"]),
            .init("columns", Concat(dim: -1), from: ["mixed", "pooled"]),
            .init("flat", Flatten()),
            .init("left", try Linear(inFeatures: 3 * 3 * 5, outFeatures: 4, generator: &generator), from: ["flat"]),
            .init("right", try Linear(inFeatures: 3 * 3 * 5, outFeatures: 4, generator: &generator), from: ["flat"]),
            .init("sum", Add(), from: ["right", "left"]),
            .init("out", Sigmoid()),
        ])
    }

    func expectPlanMatchesAutograd(_ makeNetwork: (inout RandomGenerator) throws -> Module, input: [Int], classes: Int,
                                   batch: Int, threads: Int = 1) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd(makeNetwork, loss: try CrossEntropyLoss(), input: input, batch: batch,
                                                        threads: threads) { data, output in
            .classes((0..<output[0]).map { _ in data.index(below: classes) })
        }
    }

    @Test(arguments: [1, 2])
    func residualNetworkTrainsAsAutograd(threads: Int) throws {
        try expectPlanMatchesAutograd(Self.residual, input: [3, 8, 8], classes: 5, batch: 3, threads: threads)
    }

    @Test(arguments: [1, 2])
    func invertedResidualTrainsAsAutograd(threads: Int) throws {
        try expectPlanMatchesAutograd(Self.invertedResidual, input: [3, 7, 9], classes: 5, batch: 3, threads: threads)
    }

    @Test(arguments: [1, 2])
    func branchesAndConcatenationsTrainAsAutograd(threads: Int) throws {
        try expectPlanMatchesAutograd(Self.branches, input: [2, 6, 5], classes: 4, batch: 2, threads: threads)
    }

    /// In evaluation mode (running statistics, no dropout) the residual networks plan too.
    @Test func evaluationModeGraphsTrainAsAutograd() throws {
        for network in [Self.residual, Self.invertedResidual] {
            try expectPlanMatchesAutograd({ generator in
                let module = try network(&generator)
                module.eval()
                return module
            }, input: [3, 8, 8], classes: 5, batch: 2)
        }
    }

    /// MSELoss (mean and sum), L1Loss and SmoothL1Loss on a residual network and on a perceptron,
    /// with gradients accumulating over the steps for the sum.
    @Test(arguments: [
        (MSELoss() as any Loss, true), (MSELoss(reduction: .sum) as any Loss, false), (L1Loss() as any Loss, true),
        (try! SmoothL1Loss(beta: 0.5) as any Loss, true), (try! SmoothL1Loss(reduction: .sum, beta: 0) as any Loss, true),
    ])
    func regressionLossesTrainAsAutograd(loss: any Loss, zeroGrad: Bool) throws {
        let values: (inout RandomGenerator, [Int]) -> LossTarget = { data, output in
            .values(Tensor(shape: output, scalars: (0..<output.elementCount).map { _ in data.normal() }))
        }
        try TrainingPlanTests.expectPlanMatchesAutograd(Self.residual, loss: loss, input: [3, 8, 8], batch: 3, zeroGrad: zeroGrad,
                                                        target: values)
        try TrainingPlanTests.expectPlanMatchesAutograd(TrainingPlanTests.perceptron, loss: loss, input: [3, 4], batch: 5,
                                                        zeroGrad: zeroGrad, target: values)
    }

    /// A regression target of another shape, or class indices, throw autograd's message.
    @Test func badRegressionTargetsThrow() throws {
        var generator = RandomGenerator(seed: 4)
        let network = try Sequential([try Linear(inFeatures: 4, outFeatures: 3, generator: &generator)])
        let plan = try TrainingPlan(network: network, loss: MSELoss(), inputShape: [2, 4])
        let input = Tensor(zeros: [2, 4])
        #expect(throws: NNError.shapeMismatch("MSELoss input has shape [2, 3] but the target has shape [3, 2]")) {
            try plan.forward(input, target: .values(Tensor(zeros: [3, 2])))
        }
        #expect(throws: NNError.invalidArgument("MSELoss needs target values of shape [2, 3], not class indices")) {
            try plan.forward(input, classes: [0, 1])
        }
    }

    /// The backward order is autograd's: a node after every node that reads it, the last input of
    /// a join explored first (so the shortcut's branch runs before the block's).
    @Test func backwardOrderIsAutogradsDepthFirstOrder() {
        // 0 input → 1 conv → 2 relu → 3 conv → 4 add(3, 2) → 5 linear.
        let inputs = [[], [0], [1], [2], [3, 2], [4]]
        let order = BackwardSchedule.order(from: 5, inputs: inputs, requireGradient: [false, true, true, true, true, true])
        #expect(order == [5, 4, 3, 2, 1])
        // add(2, 3) explores 3 first: the order stays topological.
        let swapped = BackwardSchedule.order(from: 5, inputs: [[], [0], [1], [2], [2, 3], [4]],
                                             requireGradient: [false, true, true, true, true, true])
        #expect(swapped == [5, 4, 3, 2, 1])
    }

    /// Gradient buffers are reused once their node's step has run: a chain needs two, a residual
    /// block one more while its shortcut's gradient waits.
    @Test func gradientBuffersAreReusedByLiveness() throws {
        let memory = PlanMemory()
        func bufferCount(_ inputs: [[Int]], rules: [BackwardSchedule.Rule]) -> Int {
            let schedule = BackwardSchedule(output: inputs.count - 1, inputs: inputs, requireGradient: [false] + Array(repeating: true, count: inputs.count - 1),
                                            sizes: Array(repeating: 4, count: inputs.count), rules: rules, memory: memory)
            return Set(schedule.steps.map(\.gradient) + schedule.steps.flatMap { $0.contributions.map(\.gradient) }).count
        }
        #expect(bufferCount([[], [0], [1], [2], [3]], rules: Array(repeating: .writes, count: 5)) == 2)
        // 1 → 2 → 3 → add(3, 1) → 5: the add hands its buffer to 3 and copies into 1's, which waits.
        #expect(bufferCount([[], [0], [1], [2], [3, 1], [4]], rules: [.writes, .writes, .writes, .writes, .passesOn, .writes]) == 3)
    }
}
