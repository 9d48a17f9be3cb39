import NNTensor
import Testing
@testable import NN

/// Planned GroupNorm and InstanceNorm2d train with the same losses, gradients and parameters as
/// autograd, bit for bit (`TrainingPlanTests.expectPlanMatchesAutograd`).
@Suite("Training plan: group and instance normalisation")
struct TrainingPlanGroupNormTests {
    /// Over [N, 4, 5, 6]: GroupNorm with 3 groups of 2 channels, InstanceNorm2d without and with
    /// affine parameters, GroupNorm without bias; the stem's output read twice (fan-out into an Add),
    /// so that a normalisation's input gradient is added to another contribution; GroupNorm over
    /// [N, 8] (one value per channel) after a Linear.
    static func normalized(_ generator: inout RandomGenerator) throws -> Module {
        try Graph(name: "Normalized", [
            .init("stem", try Conv2d(inChannels: 4, outChannels: 6, kernelSize: 3, padding: 1, generator: &generator)),
            .init("stem_gn", try GroupNorm(numGroups: 3, numChannels: 6)), .init("stem_relu", ReLU()),
            .init("conv", try Conv2d(inChannels: 6, outChannels: 6, kernelSize: 3, padding: 1, bias: false, generator: &generator)),
            .init("in", try InstanceNorm2d(numFeatures: 6)),
            .init("add", Add(), from: ["in", "stem_relu"]), .init("relu", ReLU()),
            .init("project", try Conv2d(inChannels: 6, outChannels: 4, kernelSize: 1, generator: &generator)),
            .init("gn", try GroupNorm(numGroups: 2, numChannels: 4, bias: false)),
            .init("in_affine", try InstanceNorm2d(numFeatures: 4, affine: true)), .init("flatten", Flatten()),
            .init("fc1", try Linear(inFeatures: 4 * 5 * 6, outFeatures: 8, generator: &generator)),
            .init("fc1_gn", try GroupNorm(numGroups: 2, numChannels: 8)), .init("tanh", Tanh()),
            .init("fc2", try Linear(inFeatures: 8, outFeatures: 5, generator: &generator)),
        ])
    }

    @Test(arguments: [1, 2])
    func groupAndInstanceNormalisationTrainAsAutograd(threads: Int) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd(Self.normalized, loss: try CrossEntropyLoss(), input: [4, 5, 6], batch: 3,
                                                        threads: threads) { data, output in
            .classes((0..<output[0]).map { _ in data.index(below: 5) })
        }
    }

    /// InstanceNorm2d with running statistics: updated by every training step (momentum 0.1 and
    /// None, a cumulative average), and read in evaluation mode.
    @Test(arguments: [true, false])
    func instanceNormalisationWithRunningStatisticsTrainsAsAutograd(training: Bool) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd({ generator in
            let network = try Sequential([
                try Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1, generator: &generator),
                try InstanceNorm2d(numFeatures: 3, trackRunningStats: true), ReLU(),
                try InstanceNorm2d(numFeatures: 3, momentum: nil, affine: true, trackRunningStats: true), Flatten(),
                try Linear(inFeatures: 3 * 4 * 5, outFeatures: 4, generator: &generator),
            ])
            if !training {
                try network.load(Tensor(shape: [3], scalars: [0.5, -1, 2]), into: "1.running_mean")
                try network.load(Tensor(shape: [3], scalars: [0.25, 4, 1.5]), into: "1.running_var")
                network.eval()
            }
            return network
        }, loss: try CrossEntropyLoss(), input: [2, 4, 5], batch: 3, steps: 3) { data, output in
            .classes((0..<output[0]).map { _ in data.index(below: 4) })
        }
    }

    /// Large enough for the loops to split over the worker pool (65,536 elements and more), with
    /// gradients accumulating over the steps.
    @Test func largeNormalisationsTrainAsAutogradOnTwoThreads() throws {
        try TrainingPlanTests.expectPlanMatchesAutograd({ generator in
            try Sequential([
                try Conv2d(inChannels: 2, outChannels: 16, kernelSize: 3, padding: 1, generator: &generator),
                try GroupNorm(numGroups: 4, numChannels: 16), ReLU(), try InstanceNorm2d(numFeatures: 16, affine: true),
                try AdaptiveAvgPool2d(outputSize: 1), Flatten(), try Linear(inFeatures: 16, outFeatures: 3, generator: &generator),
            ])
        }, loss: try CrossEntropyLoss(), input: [2, 32, 32], batch: 8, threads: 2, steps: 3, zeroGrad: false) { data, output in
            .classes((0..<output[0]).map { _ in data.index(below: 3) })
        }
    }
}
