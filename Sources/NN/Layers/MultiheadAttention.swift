import NNTensor

/// Multi-head self-attention (or, through `forward(_:memory:)`, attention to another sequence), as
/// `nn.MultiheadAttention(embed_dim, num_heads, dropout, bias, batch_first=…)` called with
/// query = key = value and returning its first output. input [N, L, E] (batchFirst) or [L, N, E]
/// → the same shape. `causal` masks each position's later keys (`is_causal=True` with PyTorch's
/// causal mask); it is not part of PyTorch's constructor, so it is not printed.
/// in_proj_weight [3E, E] ~ xavier_uniform, in_proj_bias [3E] = 0, out_proj (a Linear printed as
/// PyTorch's NonDynamicallyQuantizableLinear) with its bias 0. Dropout acts on the attention weights in training.
public final class MultiheadAttention: Module {
    public let embedDim: Int, numHeads: Int
    public let dropout: Double
    public let batchFirst: Bool, causal: Bool
    public let inProjWeight: Variable, inProjBias: Variable?
    public let outProj: Linear
    /// The attention-weight dropout's generator; a training checkpoint saves and restores it.
    public var generator: RandomGenerator

    public init(embedDim: Int, numHeads: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false, causal: Bool = false,
                generator: inout RandomGenerator) throws(NNError) {
        try requirePositive([("embed_dim", embedDim), ("num_heads", numHeads)], in: "MultiheadAttention")
        guard embedDim % numHeads == 0 else { throw .invalidArgument("MultiheadAttention: embed_dim \(embedDim) must be divisible by num_heads \(numHeads)") }
        guard (0...1).contains(dropout) else { throw .invalidArgument("MultiheadAttention: dropout must be in [0, 1] but is \(dropout)") }
        (self.embedDim, self.numHeads, self.dropout, self.batchFirst, self.causal) = (embedDim, numHeads, dropout, batchFirst, causal)
        let bound = Float((6 / Double(4 * embedDim)).squareRoot())  // xavier_uniform over fan_in E + fan_out 3E
        inProjWeight = Variable(Initializer.uniform(shape: [3 * embedDim, embedDim], bound: bound, generator: &generator), requiresGrad: true)
        inProjBias = bias ? Variable(Tensor(zeros: [3 * embedDim]), requiresGrad: true) : nil
        outProj = try Linear(inFeatures: embedDim, outFeatures: embedDim, bias: bias, className: "NonDynamicallyQuantizableLinear",
                             generator: &generator)
        outProj.bias?.value = Tensor(zeros: [embedDim])
        self.generator = RandomGenerator(seed: generator.next())
        super.init()
        registerParameter("in_proj_weight", inProjWeight)
        if let inProjBias { registerParameter("in_proj_bias", inProjBias) }
        registerModule("out_proj", outProj)
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try forward(input, memory: input, causal: causal)
    }

    /// Throws unless `shape` is a non-empty batch of sequences [N, L, E] (batchFirst) or [L, N, E].
    func checkSequence(_ shape: [Int]) throws(NNError) {
        guard shape.count == 3, shape[2] == embedDim, !shape.contains(0) else {
            let layout = batchFirst ? "[N, L, \(embedDim)]" : "[L, N, \(embedDim)]"
            throw .shapeMismatch("MultiheadAttention: expected a non-empty input \(layout) but got \(shape)")
        }
    }

    /// The attention of queries [N, Lq, E] to keys [N, Lk, E] (or [Lq, N, E] and [Lk, N, E]), both checked.
    func attentionShape(query: [Int], key: [Int], causal: Bool) -> AttentionShape {
        let (batchAxis, lengthAxis) = batchFirst ? (0, 1) : (1, 0)
        return AttentionShape(batch: query[batchAxis], queryLength: query[lengthAxis], keyLength: key[lengthAxis], heads: numHeads,
                              headSize: embedDim / numHeads, batchFirst: batchFirst, causal: causal)
    }

    /// Attention of `input`'s positions to `memory`'s (itself for self-attention), each [N, L, E] or
    /// [L, N, E] with the same N; `causal` masks later positions (self-attention only).
    public func forward(_ input: Variable, memory: Variable, causal: Bool) throws(NNError) -> Variable {
        for tensor in [input, memory] { try checkSequence(tensor.shape) }
        let (batchAxis, lengthAxis) = batchFirst ? (0, 1) : (1, 0)
        guard memory.shape[batchAxis] == input.shape[batchAxis] else {
            throw .shapeMismatch("MultiheadAttention: query batch \(input.shape[batchAxis]) differs from key batch \(memory.shape[batchAxis])")
        }
        guard !causal || memory.shape[lengthAxis] == input.shape[lengthAxis] else {
            throw .shapeMismatch("MultiheadAttention: a causal mask needs queries and keys of one length, not \(input.shape[lengthAxis]) and \(memory.shape[lengthAxis])")
        }
        let shape = attentionShape(query: input.shape, key: memory.shape, causal: causal)
        // The packed projections: queries from input, keys and values from memory (each product's unused third gets no gradient).
        let query = try linear(input, weight: inProjWeight, bias: inProjBias)
        let keyValue = memory === input ? query : try linear(memory, weight: inProjWeight, bias: inProjBias)
        let p = isTraining ? Float(dropout) : 0
        return try outProj(attention(query: query, keyValue: keyValue, shape: shape, dropout: p, generator: &generator))
    }
}
