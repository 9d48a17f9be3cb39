import NN
import NNSpec
import NNTensor
import Testing
@testable import NNRun

@Suite struct NonFiniteReplayTests {
    /// fc1 puts out 2e38 in each of 64 units; dropout's ×2 makes every kept unit infinite, so the
    /// failing step's mask decides how many infinite values the first non-finite layer holds.
    private let spec = """
        nnspec: 1
        input: [N, 4]
        layers:
          - {name: fc1, type: Linear, in_features: 4, out_features: 64}
          - {name: drop, type: Dropout, p: 0.5}
          - {name: fc2, type: Linear, in_features: 64, out_features: 1}
        loss: MSELoss
        optimizer: SGD
        data:
          batch_size: 1
          train: {source: random, samples: 1}
        train: {seed: 3}
        """

    @Test func probeReplaysTheFailingStepsDropoutMask() throws {
        let trainer = try Trainer(spec: try validatedSpec(spec))
        try trainer.network.state(named: "fc1.weight").value.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        try trainer.network.state(named: "fc1.bias").value.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 2e38) }
        let dropout = try #require(dropoutModules(of: trainer.network).first?.module)
        let before = dropout.generator.state

        let layer: NonFiniteLayer?
        do {
            _ = try trainer.run()
            Issue.record("the step's loss was finite")
            return
        } catch {
            guard case .nonFinite(step: 1, epoch: 0, loss: _, layer: let found) = error else { throw error }
            layer = found
        }

        // The failing step's mask, drawn again from the generator's state before the step.
        dropout.generator.state = before
        let masked = try dropout(Variable(Tensor(repeating: 2e38, shape: [1, 64]))).value
        let kept = masked.scalars.filter(\.isInfinite).count
        #expect(kept > 0 && kept < 64)
        let found = try #require(layer)
        #expect(found.name == "drop" && found.typeName == "Dropout")
        #expect(found.infinityCount == kept && found.nanCount == 0 && found.elementCount == 64)
    }
}
