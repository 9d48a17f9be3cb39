import Foundation
import NN
import Testing
@testable import NNRun

/// The dropout inside LSTM and MultiheadAttention draws from generators a checkpoint saves by path,
/// so a run stopped and resumed gives the uninterrupted run's losses bit for bit.
@Suite struct SequenceCheckpointTests {
    let scratch: ScratchDirectory
    let specPath: String

    init() throws {
        scratch = try ScratchDirectory()
        let data = repositoryRoot.appendingPathComponent("specs/parity/data/tokens-10.csv").path
        specPath = try scratch.write("""
            nnspec: 1
            input: [N, 10]
            layers:
              - {name: emb, type: Embedding, num_embeddings: 12, embedding_dim: 8}
              - {name: lstm, type: LSTM, input_size: 8, hidden_size: 8, num_layers: 2, dropout: 0.5, batch_first: true}
              - {name: attn, type: MultiheadAttention, embed_dim: 8, num_heads: 2, dropout: 0.3, batch_first: true}
              - {name: encoder, type: TransformerEncoderLayer, d_model: 8, nhead: 2, dim_feedforward: 8, dropout: 0.2, batch_first: true}
              - Flatten
              - {name: fc, type: Linear, in_features: 80, out_features: 3}
            loss: CrossEntropyLoss
            optimizer: {type: Adam, lr: 0.01}
            data: {batch_size: 12, train: {source: csv, path: \(data)}}
            train: {epochs: 2}
            """, to: "sequence.yaml")
    }

    @Test func resumedRunGivesTheUninterruptedLosses() throws {
        let uninterrupted = try Trainer(spec: try validatedSpec(path: specPath))
        let expected = LossRecorder()
        uninterrupted.observers = [expected]
        #expect(try uninterrupted.run() == .finished)

        let directory = scratch.path("run")
        let first = try Trainer(spec: try validatedSpec(path: specPath))
        let (interruption, recorder) = (InterruptFlag(), LossRecorder())
        (recorder.interruptAfterStep, recorder.interruption) = (3, interruption)
        (first.observers, first.interruption) = ([recorder], interruption)
        first.checkpoints = CheckpointPolicy(directory: directory, every: nil)
        #expect(try first.run() == .interrupted)

        let checkpoint = try Checkpoint(directory: directory)
        #expect(checkpoint.generatorStates.keys.sorted() == [
            "attn", "encoder.dropout", "encoder.dropout1", "encoder.dropout2", "encoder.self_attn", "lstm",
        ])
        let second = try Trainer(spec: try validatedSpec(path: specPath))
        try checkpoint.restore(into: second)
        let rest = LossRecorder()
        second.observers = [rest]
        #expect(try second.run() == .finished)
        #expect(expected.losses.count == 8)
        #expect((recorder.losses + rest.losses).map(\.bitPattern) == expected.losses.map(\.bitPattern))
    }
}
