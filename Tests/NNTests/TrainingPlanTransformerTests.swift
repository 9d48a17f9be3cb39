import NNTensor
import Testing
@testable import NN

/// Attention networks through a `TrainingPlan` (LearnedPositionalEmbedding, LayerNorm)
/// train as through autograd, bit for bit.
@Suite("Training plan: transformers")
struct TrainingPlanTransformerTests {
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

    @Test(arguments: [1, 2])
    func normalizedPositionsTrainAsAutograd(threads: Int) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd(Self.normalizedPositions, loss: try CrossEntropyLoss(), input: [6], batch: 3,
                                                        threads: threads, inputValue: { Float($0.index(below: 9)) }) { data, output in
            .classes((0..<(output.elementCount / 5)).map { _ in data.index(below: 5) })
        }
    }
}
