import NNTensor

/// Adds a learned vector per position: output[n, l] = input[n, l] + weight[l]. input [N, L, d]
/// (L ≤ maxLen) → the same shape. weight [maxLen, embeddingDim] ~ N(0, 1), as an `nn.Embedding`'s.
/// PyTorch has no such module; its code writes `x + self.pos(torch.arange(L))` with
/// `self.pos = nn.Embedding(max_len, d)`, whose `weight` this is (so weights load either way).
public final class LearnedPositionalEmbedding: Module {
    public let maxLen: Int, embeddingDim: Int
    public let weight: Variable

    public init(maxLen: Int, embeddingDim: Int, generator: inout RandomGenerator) throws(NNError) {
        try requirePositive([("max_len", maxLen), ("embedding_dim", embeddingDim)], in: "LearnedPositionalEmbedding")
        (self.maxLen, self.embeddingDim) = (maxLen, embeddingDim)
        weight = Variable(Tensor(shape: [maxLen, embeddingDim], scalars: (0..<maxLen * embeddingDim).map { _ in generator.normal() }),
                          requiresGrad: true)
        super.init()
        registerParameter("weight", weight)
    }

    override public var extraDescription: String { "max_len=\(maxLen), embedding_dim=\(embeddingDim)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        guard input.shape.count == 3, input.shape[1] <= maxLen, input.shape[2] == embeddingDim else {
            throw .shapeMismatch("LearnedPositionalEmbedding: expected input [N, L ≤ \(maxLen), \(embeddingDim)] but got \(input.shape)")
        }
        return addPositions(input, table: weight)
    }
}
