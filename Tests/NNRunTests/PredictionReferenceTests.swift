import Foundation
import NN
import NNTensor
import Testing
@testable import NNRun

/// `Predictor` gives PyTorch's eval-mode outputs (tools/make_predict_reference.py): BatchNorm1d/2d
/// with trained running statistics, dropout off.
@Suite struct PredictionReferenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/Predict")

    @Test func outputsArePyTorchsInEvalMode() throws {
        let spec = try validatedSpec(path: Self.fixtures.appending(path: "eval-mode.yaml").path)
        let predictor = try Predictor(spec: spec, weights: Self.fixtures.appending(path: "eval-mode-weights.safetensors").path)
        let reference = try SafetensorsFile(contentsOf: Self.fixtures.appending(path: "eval-mode-reference.safetensors"))
        let inputs = try #require(reference.tensors.first { $0.name == "inputs" }?.tensor)
        let expected = try #require(reference.tensors.first { $0.name == "outputs" }?.tensor)
        for batchSize in [1, 2, 5] {
            var rows: [Float] = []
            for start in stride(from: 0, to: 5, by: batchSize) {
                rows += try predictor.outputs(inputs.rows(start..<min(start + batchSize, 5))).scalars
            }
            #expect(rows.count == expected.scalars.count)
            let worst = zip(rows, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-5, "batch size \(batchSize): largest difference \(worst)")
        }
    }
}
