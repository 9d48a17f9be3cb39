import NNTensor
import Testing
@testable import NN

/// Planned transposed convolutions and up-sampling train with the same losses, gradients and
/// parameters as autograd, bit for bit (`TrainingPlanTests.expectPlanMatchesAutograd`).
@Suite("Training plan: up-sampling")
struct TrainingPlanUpsamplingTests {
    /// A decoder over [N, 2, 5, 6]: a strided convolution down to [4, 3, 3], then up through a
    /// ConvTranspose2d with stride, padding, output_padding and groups ([6, 6, 4]), nearest
    /// up-sampling ([6, 12, 8]), a ConvTranspose2d without bias whose output_padding 2 ≥ stride 1
    /// pads its input ([3, 18, 14]), bilinear resizing with aligned corners ([3, 7, 9]) and by a scale
    /// factor ([3, 10, 13]).
    static func decoder(_ generator: inout RandomGenerator) throws -> Sequential {
        try Sequential([
            try Conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, stride: 2, padding: 1, generator: &generator), ReLU(),
            try ConvTranspose2d(inChannels: 4, outChannels: 6, kernelSize: .pair(3, 2), stride: .pair(2, 1), padding: .pair(1, 0),
                                outputPadding: .pair(1, 0), groups: 2, generator: &generator), ReLU(),
            try Upsample(scaleFactor: 2),
            try ConvTranspose2d(inChannels: 6, outChannels: 3, kernelSize: 3, padding: 1, outputPadding: 2, bias: false, dilation: 3,
                                generator: &generator),
            try Upsample(size: .pair(7, 9), mode: .bilinear, alignCorners: true),
            try Upsample(scaleFactor: 1.5, mode: .bilinear),
        ])
    }

    /// The decoder with a classifier head.
    static func classifier(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([try decoder(&generator), Flatten(), try Linear(inFeatures: 3 * 10 * 13, outFeatures: 5, generator: &generator)])
    }

    @Test(arguments: [1, 2])
    func upSamplingClassifierTrainsAsAutograd(threads: Int) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd(Self.classifier, loss: try CrossEntropyLoss(), input: [2, 5, 6], batch: 3,
                                                        threads: threads) { data, output in
            .classes((0..<output[0]).map { _ in data.index(below: 5) })
        }
    }

    /// The decoder's output as a reconstruction, with MSELoss and gradients accumulating over the
    /// steps (no zeroGrad).
    @Test(arguments: [1, 2])
    func reconstructionTrainsAsAutograd(threads: Int) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd(Self.decoder, loss: MSELoss(), input: [2, 5, 6], batch: 2, threads: threads,
                                                        zeroGrad: false) { data, output in
            .values(Tensor(shape: output, scalars: (0..<output.elementCount).map { _ in data.normal() }))
        }
    }
}
