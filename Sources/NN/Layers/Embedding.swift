import NNTensor

/// A lookup table of `numEmbeddings` vectors of size `embeddingDim`, as `nn.Embedding`.
/// input [*] token ids (whole numbers in 0..<numEmbeddings, carried as floats) → output [*, embeddingDim].
/// weight [numEmbeddings, embeddingDim] ~ N(0, 1), its `paddingIdx` row zero and never updated.
/// `scaleGradByFreq` divides each row's gradient by the number of times its id occurs in the batch.
/// PyTorch's `max_norm` and `sparse` are not offered (the catalogue refuses them at their value);
/// `normType` is printed as PyTorch prints it.
public final class Embedding: Module {
    public let numEmbeddings: Int, embeddingDim: Int
    /// The padding row, normalised to 0..<numEmbeddings as PyTorch stores it (−1 is the last row).
    public let paddingIdx: Int?
    public let normType: Double
    public let scaleGradByFreq: Bool
    public let weight: Variable

    public init(numEmbeddings: Int, embeddingDim: Int, paddingIdx: Int? = nil, normType: Double = 2,
                scaleGradByFreq: Bool = false, generator: inout RandomGenerator) throws(NNError) {
        try requirePositive([("num_embeddings", numEmbeddings), ("embedding_dim", embeddingDim)], in: "Embedding")
        if let paddingIdx, !(-numEmbeddings..<numEmbeddings).contains(paddingIdx) {
            throw .invalidArgument("Embedding: padding_idx \(paddingIdx) must be within num_embeddings (\(-numEmbeddings)…\(numEmbeddings - 1))")
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingDim = embeddingDim
        self.paddingIdx = paddingIdx.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        self.normType = normType
        self.scaleGradByFreq = scaleGradByFreq
        var value = Tensor(shape: [numEmbeddings, embeddingDim], scalars: (0..<numEmbeddings * embeddingDim).map { _ in generator.normal() })
        if let row = self.paddingIdx {
            for column in 0..<embeddingDim { value.scalars[row * embeddingDim + column] = 0 }
        }
        weight = Variable(value, requiresGrad: true)
        super.init()
        registerParameter("weight", weight)
    }

    override public var extraDescription: String {
        var text = "\(numEmbeddings), \(embeddingDim)"
        if let paddingIdx { text += ", padding_idx=\(paddingIdx)" }
        if normType != 2 { text += ", norm_type=\(PythonRepr.float(normType))" }
        if scaleGradByFreq { text += ", scale_grad_by_freq=True" }
        return text
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try embedding(input.value, weight: weight, paddingIdx: paddingIdx, scaleGradByFreq: scaleGradByFreq)
    }
}
