import NNTensor
import Testing
@testable import NN

/// Attention networks through a `TrainingPlan` (LearnedPositionalEmbedding, LayerNorm,
/// MultiheadAttention, TransformerEncoderLayer and TransformerEncoder, their dropouts included)
/// train as through autograd, bit for bit.
@Suite("Training plan: transformers")
struct TrainingPlanTransformerTests {
    /// examples/names-transformer.yaml's network: token ids [N, 16] → Embedding(27, 64) → learned
    /// positions → two causal pre-norm GELU TransformerEncoderLayers (batch_first, dropout 0.2) →
    /// LayerNorm → Linear(64, 27) → transpose to [N, 27, 16].
    static func namesTransformer(_ generator: inout RandomGenerator) throws -> Module {
        let options = TransformerOptions(dModel: 64, nhead: 4, dimFeedforward: 256, dropout: 0.2, activation: .gelu, batchFirst: true,
                                         normFirst: true, causal: true)
        return try Sequential([
            ("tok", try Embedding(numEmbeddings: 27, embeddingDim: 64, generator: &generator)),
            ("pos", try LearnedPositionalEmbedding(maxLen: 16, embeddingDim: 64, generator: &generator)),
            ("block1", try TransformerEncoderLayer(options, generator: &generator)),
            ("block2", try TransformerEncoderLayer(options, generator: &generator)),
            ("ln_f", try LayerNorm(normalizedShape: [64])),
            ("head", try Linear(inFeatures: 64, outFeatures: 27, generator: &generator)),
            ("6", Transpose(dim0: 1, dim1: 2)),
        ])
    }

    /// Token ids [N, 6] → Embedding(9, 8) → learned positions (of 7) → LayerNorm without bias →
    /// Linear(8, 5) → transpose to [N, 5, 6].
    static func normalizedPositions(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            try Embedding(numEmbeddings: 9, embeddingDim: 8, generator: &generator),
            try LearnedPositionalEmbedding(maxLen: 7, embeddingDim: 8, generator: &generator),
            try LayerNorm(normalizedShape: [8], bias: false),
            try Linear(inFeatures: 8, outFeatures: 5, generator: &generator),
            Transpose(dim0: 1, dim1: 2),
        ])
    }

    /// Time-major sequences [T, 3, 8] through a post-norm ReLU layer without biases (dropout 0.1,
    /// not causal), a standalone MultiheadAttention with attention dropout, a LayerNorm over the
    /// last two dimensions without affine parameters, and a Linear scoring the flattened steps.
    static func timeMajorPostNorm(_ generator: inout RandomGenerator) throws -> Module {
        let options = TransformerOptions(dModel: 8, nhead: 2, dimFeedforward: 12, dropout: 0.1, bias: false)
        return try Sequential([
            try TransformerEncoderLayer(options, generator: &generator),
            try MultiheadAttention(embedDim: 8, numHeads: 4, dropout: 0.3, generator: &generator),
            try LayerNorm(normalizedShape: [3, 8], elementwiseAffine: false),
            Flatten(),
            try Linear(inFeatures: 24, outFeatures: 4, generator: &generator),
        ])
    }

    /// A TransformerEncoder of two post-norm layers without dropout and its final norm, as
    /// specs/parity/transformer-encoder-stack.yaml, on float sequences [N, 5, 8].
    static func encoderStack(_ generator: inout RandomGenerator) throws -> Module {
        let options = TransformerOptions(dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0, activation: .gelu, batchFirst: true)
        let layers: [Module] = [try TransformerEncoderLayer(options, generator: &generator), try TransformerEncoderLayer(options, generator: &generator)]
        return try Sequential([
            try TransformerEncoder(layers: layers, norm: try LayerNorm(normalizedShape: [8])), Flatten(),
            try Linear(inFeatures: 40, outFeatures: 3, generator: &generator),
        ])
    }

    @Test(arguments: [1, 16], [1, 2])
    func namesTransformerTrainsAsAutograd(batch: Int, threads: Int) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd(Self.namesTransformer, loss: try CrossEntropyLoss(), input: [16], batch: batch,
                                                        threads: threads, inputValue: { Float($0.index(below: 27)) }) { data, output in
            .classes((0..<(output.elementCount / 27)).map { _ in data.index(below: 27) })
        }
    }

    @Test(arguments: [1, 2])
    func normalizedPositionsTrainAsAutograd(threads: Int) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd(Self.normalizedPositions, loss: try CrossEntropyLoss(), input: [6], batch: 3,
                                                        threads: threads, inputValue: { Float($0.index(below: 9)) }) { data, output in
            .classes((0..<(output.elementCount / 5)).map { _ in data.index(below: 5) })
        }
    }

    /// In training mode, and in evaluation mode (no dropout, the attention's included).
    @Test(arguments: [false, true], [1, 2])
    func timeMajorPostNormTrainsAsAutograd(evaluation: Bool, threads: Int) throws {
        try TrainingPlanTests().expectPlanMatchesAutograd({ generator in
            let network = try Self.timeMajorPostNorm(&generator)
            if evaluation { network.eval() }
            return network
        }, loss: try CrossEntropyLoss(), input: [3, 8], classes: 4, batch: 5, threads: threads)
    }

    /// Without zeroGrad, so the gradients accumulate over the steps.
    @Test func encoderStackTrainsAsAutograd() throws {
        try TrainingPlanTests().expectPlanMatchesAutograd(Self.encoderStack, loss: try CrossEntropyLoss(), input: [5, 8], classes: 3, batch: 4,
                                                          zeroGrad: false)
    }

    /// Planning runs no dropout (its generators are where they were); a decoder layer (two inputs)
    /// and a sequence that does not fit the attention are refused.
    @Test func planningDrawsNothingAndRefusesWhatItCannotPlan() throws {
        var generator = RandomGenerator(seed: 8)
        let network = try Self.namesTransformer(&generator)
        let block = try #require(network.children.first { $0.name == "block1" }?.module as? TransformerEncoderLayer)
        let (attentionState, dropoutState) = (block.selfAttention.generator.state, block.dropout1.generator.state)
        _ = try TrainingPlan(network: network, loss: try CrossEntropyLoss(), inputShape: [2, 16])
        #expect(block.selfAttention.generator.state == attentionState && block.dropout1.generator.state == dropoutState)

        let loss = try CrossEntropyLoss()
        func refusal(_ network: Module, inputShape: [Int]) -> String? {
            do {
                _ = try TrainingPlan(network: network, loss: loss, inputShape: inputShape)
                return nil
            } catch {
                return error.description
            }
        }
        let attention = try MultiheadAttention(embedDim: 8, numHeads: 2, generator: &generator)
        #expect(refusal(try Sequential([try Linear(inFeatures: 4, outFeatures: 8, generator: &generator), attention]), inputShape: [2, 4])
            == "MultiheadAttention: expected a non-empty input [L, N, 8] but got [2, 8]")
        let decoder = try TransformerDecoderLayer(TransformerOptions(dModel: 8, nhead: 2, dimFeedforward: 8), generator: &generator)
        let graph = try Graph([Graph.Node("in", try Linear(inFeatures: 8, outFeatures: 8, generator: &generator), from: [Graph.inputName]),
                               Graph.Node("decoder", decoder, from: ["in", "in"])])
        #expect(refusal(graph, inputShape: [3, 2, 8])?.contains("TransformerDecoderLayer reads 2 inputs") == true)
    }
}
