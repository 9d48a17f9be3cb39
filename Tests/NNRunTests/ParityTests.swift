import Foundation
import NN
import Testing
@testable import NNRun

/// Training matches PyTorch: from PyTorch's initial weights (`--init`) on a committed data file,
/// the per-step losses of 20 steps equal PyTorch's within 1e-4 relative. The reference comes from
/// tools/make_parity.py (`pip install torch safetensors && python3 tools/make_parity.py`), which
/// writes specs/parity/NAME-init.safetensors, NAME-losses.json and the data files.
@Suite struct ParityTests {
    @Test(arguments: ["lenet", "mlp"])
    func lossesMatchPyTorch(name: String) throws {
        let directory = repositoryRoot.appendingPathComponent("specs/parity")
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("\(name)-losses.json")))
        let expected = try #require((reference as? [String: Any])?["losses"] as? [Double])
        #expect(expected.count == 20)

        let trainer = try Trainer(spec: try validatedSpec(path: directory.appendingPathComponent("\(name).yaml").path))
        try WeightsFile.load(directory.appendingPathComponent("\(name)-init.safetensors").path, into: trainer.network)
        let recorder = LossRecorder()
        trainer.observers = [recorder]
        #expect(try trainer.run() == .finished)
        #expect(recorder.losses.count == 20)
        for (step, (loss, pytorch)) in zip(recorder.losses, expected).enumerated() {
            #expect(abs(Double(loss) - pytorch) <= 1e-4 * abs(pytorch), "step \(step + 1): \(loss) vs PyTorch \(pytorch)")
        }
    }
}
