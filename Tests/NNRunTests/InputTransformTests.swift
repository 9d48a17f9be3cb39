import NNTensor
import Testing
@testable import NNRun

/// `inputs` after `transform`.
private func applied(_ transform: InputTransform, to inputs: Tensor) throws -> Tensor {
    var output = inputs
    try transform.apply(to: &output)
    return output
}

@Suite struct InputTransformTests {
    /// Inputs [2, 2, 2, 3]: value = index.
    private let images = Tensor(shape: [2, 2, 2, 3], scalars: (0..<24).map { Float($0) })

    @Test func scaleMultipliesEveryValue() throws {
        let scaled = try applied(.scale(1.0 / 16), to: images)
        #expect(scaled.shape == images.shape)
        #expect(scaled.scalars == images.scalars.map { $0 * (1.0 / 16) })
    }

    @Test func normalizeUsesEachChannelsMeanAndStd() throws {
        let normalized = try applied(.normalize(mean: [1, 10], std: [2, 4]), to: images)
        let expected = (0..<24).map { index -> Float in
            let channel = (index / 6) % 2
            return (Float(index) - [1, 10][channel]) / [2, 4][channel]
        }
        #expect(normalized.scalars == expected)
        let shared = try applied(.normalize(mean: [0.5], std: [0.25]), to: images)
        #expect(shared.scalars == images.scalars.map { ($0 - 0.5) / 0.25 })
    }

    @Test func normalizeTreatsFeaturesAsChannels() throws {
        let features = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let normalized = try applied(.normalize(mean: [1, 2, 3], std: [1, 2, 3]), to: features)
        #expect(normalized.scalars == [0, 0, 0, 3, 1.5, 1])
    }

    @Test func padSurroundsEachPlaneWithZeros() throws {
        let padded = try applied(.pad(1), to: images)
        #expect(padded.shape == [2, 2, 4, 5])
        // The first plane [[0, 1, 2], [3, 4, 5]] inside a zero border.
        #expect(Array(padded.scalars[..<20]) == [0, 0, 0, 0, 0,
                                                 0, 0, 1, 2, 0,
                                                 0, 3, 4, 5, 0,
                                                 0, 0, 0, 0, 0])
        #expect(padded.scalars.reduce(0, +) == images.scalars.reduce(0, +))
        #expect(try InputTransform.pad(2).sampleShape(after: [1, 28, 28]) == [1, 32, 32])
    }

    @Test func datasetTransformsApplyInOrderAndKeepTargets() throws {
        let data = try Dataset(inputs: images, targets: .classes(indices: [1, 0], classCount: 2))
        let transformed = try data.transformed(by: [.pad(1), .scale(2)])
        #expect(transformed.inputs.shape == [2, 2, 4, 5])
        #expect(transformed.inputs.scalars[7] == 2)
        #expect(transformed.targets == data.targets)
    }

    @Test func transformsThatDoNotFitAreRefused() {
        #expect(dataError { try applied(.normalize(mean: [0, 0, 0], std: [1, 1, 1]), to: images) }?.description ==
            "normalize has 3 means and 3 stds, but samples of shape [2, 2, 3] have 2 channels")
        #expect(dataError { try applied(.normalize(mean: [0], std: [0]), to: images) }?.description ==
            "normalize needs finite means and positive stds, got mean [0.0], std [0.0]")
        #expect(dataError { try applied(.pad(-1), to: images) }?.description == "pad -1 is negative")
        #expect(dataError { try InputTransform.pad(2).sampleShape(after: [64]) }?.description ==
            "pad needs samples with height and width, but samples have shape [64]")
        #expect(dataError { try applied(.scale(.infinity), to: images) }?.description == "scale factor inf is not finite")
    }
}
