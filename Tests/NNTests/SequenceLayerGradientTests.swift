import NNTensor
import Testing
@testable import NN

@Suite("Gradient checks: sequence layers")
struct SequenceLayerGradientTests {
    /// padding_idx and scale_grad_by_freq change the gradient on purpose (as PyTorch's; checked against
    /// its values in SequenceLayerGoldenTests), so finite differences check the plain lookup.
    @Test func embedding() throws {
        var generator = RandomGenerator(seed: 31)
        let layer = try Embedding(numEmbeddings: 5, embeddingDim: 3, generator: &generator)
        let ids = Variable(Tensor(shape: [2, 4], scalars: [0, 1, 3, 3, 4, 1, 0, 3]))
        try expectGradientsMatch([layer.weight]) { try layer(ids) }
    }

    @Test func embeddingPaddingRowStaysZeroWithoutGradient() throws {
        var generator = RandomGenerator(seed: 31)
        let layer = try Embedding(numEmbeddings: 5, embeddingDim: 3, paddingIdx: -4, generator: &generator)
        #expect(layer.paddingIdx == 1 && layer.description == "Embedding(5, 3, padding_idx=1)")
        #expect(layer.weight.value.scalars[3..<6].allSatisfy { $0 == 0 })
        try layer(Variable(Tensor(shape: [3], scalars: [1, 2, 1]))).backward(gradient: Tensor(repeating: 1, shape: [3, 3]))
        #expect(layer.weight.grad!.scalars[3..<6].allSatisfy { $0 == 0 } && layer.weight.grad!.scalars[6..<9].allSatisfy { $0 == 1 })
    }

    @Test func embeddingRefusesIdsThatAreNotTokens() throws {
        var generator = RandomGenerator(seed: 32)
        let layer = try Embedding(numEmbeddings: 4, embeddingDim: 2, generator: &generator)
        for bad: Float in [4, -1, 1.5, .nan] {
            #expect(throws: NNError.invalidArgument(
                "Embedding: input element 1 is \(bad), not a token id in 0…3 (ids are whole numbers below num_embeddings)")) {
                try layer(Variable(Tensor(shape: [1, 2], scalars: [0, bad])))
            }
        }
    }

    /// Every cell, one and two layers, both directions, both layouts; sizes small enough for finite differences.
    @Test(arguments: [
        (RecurrentCell.rnnTanh, 1, false, true), (.rnnReLU, 1, true, false), (.lstm, 2, true, true), (.lstm, 1, false, false),
        (.gru, 2, true, false), (.gru, 1, false, true),
    ])
    func recurrentNetwork(cell: RecurrentCell, layers: Int, bidirectional: Bool, batchFirst: Bool) throws {
        var generator = RandomGenerator(seed: 33)
        let network = try RecurrentNetwork(cell: cell, inputSize: 3, hiddenSize: 3, numLayers: layers, batchFirst: batchFirst,
                                           bidirectional: bidirectional, generator: &generator)
        let input = randomVariable(batchFirst ? [2, 4, 3] : [4, 2, 3], &generator)
        try expectGradientsMatch([input] + network.parameters(), step: cell == .rnnReLU ? 1e-3 : 1e-2) { try network(input) }
    }

    @Test(arguments: RecurrentOutput.allCases)
    func recurrentOutputSelections(output: RecurrentOutput) throws {
        var generator = RandomGenerator(seed: 34)
        let network = try RecurrentNetwork(cell: .lstm, inputSize: 2, hiddenSize: 3, batchFirst: true, bidirectional: true,
                                           output: output, generator: &generator)
        let input = randomVariable([2, 5, 2], &generator)
        #expect(try network(input).shape == (output == .sequence ? [2, 5, 6] : [2, 6]))
        try expectGradientsMatch([input] + network.parameters()) { try network(input) }
    }

    @Test(arguments: [(true, false), (false, true), (true, true)])
    func multiheadSelfAttention(batchFirst: Bool, causal: Bool) throws {
        var generator = RandomGenerator(seed: 35)
        let layer = try MultiheadAttention(embedDim: 4, numHeads: 2, batchFirst: batchFirst, causal: causal, generator: &generator)
        let input = randomVariable([2, 3, 4], &generator)
        try expectGradientsMatch([input] + layer.parameters()) { try layer(input) }
    }

    @Test(arguments: [true, false])
    func attentionToAnotherSequence(batchFirst: Bool) throws {
        var generator = RandomGenerator(seed: 36)
        let layer = try MultiheadAttention(embedDim: 4, numHeads: 2, bias: false, batchFirst: batchFirst, generator: &generator)
        let input = randomVariable(batchFirst ? [2, 3, 4] : [3, 2, 4], &generator)
        let memory = randomVariable(batchFirst ? [2, 5, 4] : [5, 2, 4], &generator)
        try expectGradientsMatch([input, memory] + layer.parameters()) { try layer.forward(input, memory: memory, causal: false) }
    }

    /// The same masks each time (the generator reset before each pass), so the dropped attention is a fixed function.
    @Test func attentionWeightDropout() throws {
        var generator = RandomGenerator(seed: 37)
        let layer = try MultiheadAttention(embedDim: 4, numHeads: 1, dropout: 0.3, batchFirst: true, generator: &generator)
        let input = randomVariable([2, 4, 4], &generator)
        let masks = layer.generator
        try expectGradientsMatch([input] + layer.parameters()) {
            layer.generator = masks
            return try layer(input)
        }
    }

    @Test(arguments: [false, true])
    func transformerEncoderLayer(normFirst: Bool) throws {
        var generator = RandomGenerator(seed: 38)
        let layer = try TransformerEncoderLayer(
            TransformerOptions(dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0, activation: normFirst ? .gelu : .relu,
                               batchFirst: true, normFirst: normFirst, causal: normFirst), generator: &generator)
        let input = randomVariable([2, 3, 4], &generator)
        try expectGradientsMatch([input] + layer.parameters()) { try layer(input) }
    }

    /// Two encoder layers of their own weights (as after training) and the final norm.
    @Test func transformerEncoder() throws {
        var generator = RandomGenerator(seed: 41)
        let options = TransformerOptions(dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0, batchFirst: true)
        let layers = [try TransformerEncoderLayer(options, generator: &generator), try TransformerEncoderLayer(options, generator: &generator)]
        let encoder = try TransformerEncoder(layers: layers, norm: try LayerNorm(normalizedShape: [4]))
        let input = randomVariable([2, 3, 4], &generator)
        // A smaller step than the default 1e-2, which the five LayerNorms in a row curve too much to see.
        try expectGradientsMatch([input] + encoder.parameters(), step: 1e-3) { try encoder(input) }
    }

    @Test(arguments: [false, true])
    func transformerDecoderLayer(normFirst: Bool) throws {
        var generator = RandomGenerator(seed: 39)
        let layer = try TransformerDecoderLayer(
            TransformerOptions(dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0, activation: .gelu, normFirst: normFirst, causal: true),
            generator: &generator)
        let (target, memory) = (randomVariable([3, 2, 4], &generator), randomVariable([2, 2, 4], &generator))
        try expectGradientsMatch([target, memory] + layer.parameters()) { try layer([target, memory]) }
    }

    @Test func learnedPositionalEmbedding() throws {
        var generator = RandomGenerator(seed: 40)
        let layer = try LearnedPositionalEmbedding(maxLen: 5, embeddingDim: 3, generator: &generator)
        let input = randomVariable([2, 4, 3], &generator)
        try expectGradientsMatch([input, layer.weight]) { try layer(input) }
        #expect(layer.weight.grad!.scalars[12..<15].allSatisfy { $0 == 0 }, "position 4 is not used by 4 steps")
    }
}
