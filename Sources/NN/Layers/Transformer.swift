import NNTensor

/// The feed-forward activation of a transformer layer (PyTorch's `activation='relu'|'gelu'`, a
/// function, so not printed).
public enum TransformerActivation: String, Sendable, CaseIterable {
    case relu, gelu

    var function: Activation { self == .relu ? .relu : .gelu }
}

/// The arguments TransformerEncoderLayer and TransformerDecoderLayer share (PyTorch's names).
public struct TransformerOptions: Sendable {
    public var dModel: Int, nhead: Int, dimFeedforward: Int
    public var dropout: Double
    public var activation: TransformerActivation
    public var layerNormEps: Double
    public var batchFirst: Bool, normFirst: Bool, bias: Bool
    /// Mask each position's later positions in self-attention (nnspec's; PyTorch's `is_causal`/`tgt_is_causal` at call time).
    public var causal: Bool

    public init(dModel: Int, nhead: Int, dimFeedforward: Int = 2048, dropout: Double = 0.1, activation: TransformerActivation = .relu,
                layerNormEps: Double = 1e-5, batchFirst: Bool = false, normFirst: Bool = false, bias: Bool = true, causal: Bool = false) {
        (self.dModel, self.nhead, self.dimFeedforward, self.dropout, self.activation) = (dModel, nhead, dimFeedforward, dropout, activation)
        (self.layerNormEps, self.batchFirst, self.normFirst, self.bias, self.causal) = (layerNormEps, batchFirst, normFirst, bias, causal)
    }
}

/// The parts both transformer layers have, made and registered in PyTorch's order around the
/// attention blocks: linear1 (d_model → dim_feedforward), dropout, linear2, then the norms and dropouts.
struct TransformerFeedForward {
    let linear1: Linear, dropout: Dropout, linear2: Linear
    let activation: Activation

    init(_ options: TransformerOptions, generator: inout RandomGenerator) throws(NNError) {
        linear1 = try Linear(inFeatures: options.dModel, outFeatures: options.dimFeedforward, bias: options.bias, generator: &generator)
        dropout = try Dropout(p: options.dropout, generator: &generator)
        linear2 = try Linear(inFeatures: options.dimFeedforward, outFeatures: options.dModel, bias: options.bias, generator: &generator)
        activation = options.activation.function
    }

    /// linear2(dropout(activation(linear1(x)))).
    func callAsFunction(_ x: Variable) throws(NNError) -> Variable {
        try linear2(try dropout(NN.activation(try linear1(x), activation)))
    }
}

/// A transformer layer's blocks in turn, each with its residual connection: x = norm(x + block(x)),
/// or x = x + block(norm(x)) with `normFirst` (PyTorch's `norm_first`).
private func residualBlocks(
    _ input: Variable, normFirst: Bool, _ blocks: [(block: (Variable) throws(NNError) -> Variable, norm: LayerNorm)]
) throws(NNError) -> Variable {
    var x = input
    for (block, norm) in blocks {
        x = normFirst ? try sum([x, try block(try norm(x))]) : try norm(try sum([x, try block(x)]))
    }
    return x
}

/// `nn.TransformerEncoderLayer`: self-attention then a feed-forward block, each added to its input
/// and normalised after (or, with norm_first, normalised before). input [N, L, d_model]
/// (batch_first) or [L, N, d_model] → the same shape. Children as PyTorch's: self_attn, linear1,
/// dropout, linear2, norm1, norm2, dropout1, dropout2.
public final class TransformerEncoderLayer: Module {
    public let options: TransformerOptions
    public let selfAttention: MultiheadAttention
    let feedForward: TransformerFeedForward
    public let norm1: LayerNorm, norm2: LayerNorm
    public let dropout1: Dropout, dropout2: Dropout

    public init(_ options: TransformerOptions, generator: inout RandomGenerator) throws(NNError) {
        self.options = options
        selfAttention = try MultiheadAttention(embedDim: options.dModel, numHeads: options.nhead, dropout: options.dropout, bias: options.bias,
                                               batchFirst: options.batchFirst, causal: options.causal, generator: &generator)
        feedForward = try TransformerFeedForward(options, generator: &generator)
        norm1 = try LayerNorm(normalizedShape: [options.dModel], eps: options.layerNormEps, bias: options.bias)
        norm2 = try LayerNorm(normalizedShape: [options.dModel], eps: options.layerNormEps, bias: options.bias)
        dropout1 = try Dropout(p: options.dropout, generator: &generator)
        dropout2 = try Dropout(p: options.dropout, generator: &generator)
        super.init()
        registerModule("self_attn", selfAttention)
        registerModule("linear1", feedForward.linear1)
        registerModule("dropout", feedForward.dropout)
        registerModule("linear2", feedForward.linear2)
        registerModule("norm1", norm1)
        registerModule("norm2", norm2)
        registerModule("dropout1", dropout1)
        registerModule("dropout2", dropout2)
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try residualBlocks(input, normFirst: options.normFirst, [
            ({ (x: Variable) throws(NNError) in try self.dropout1(self.selfAttention(x)) }, norm1),
            ({ (x: Variable) throws(NNError) in try self.dropout2(self.feedForward(x)) }, norm2),
        ])
    }
}

/// `nn.TransformerDecoderLayer`: self-attention, attention to a memory sequence, then a
/// feed-forward block, each with its residual and norm (after, or before with norm_first).
/// inputs: target and memory, [N, L, d_model] and [N, S, d_model] (batch_first; else [L, N, ·] and
/// [S, N, ·]) → the target's shape. Children as PyTorch's: self_attn, multihead_attn, linear1,
/// dropout, linear2, norm1–3, dropout1–3.
public final class TransformerDecoderLayer: Module {
    public let options: TransformerOptions
    public let selfAttention: MultiheadAttention, crossAttention: MultiheadAttention
    let feedForward: TransformerFeedForward
    public let norm1: LayerNorm, norm2: LayerNorm, norm3: LayerNorm
    public let dropout1: Dropout, dropout2: Dropout, dropout3: Dropout

    public init(_ options: TransformerOptions, generator: inout RandomGenerator) throws(NNError) {
        self.options = options
        func attention(causal: Bool) throws(NNError) -> MultiheadAttention {
            try MultiheadAttention(embedDim: options.dModel, numHeads: options.nhead, dropout: options.dropout, bias: options.bias,
                                   batchFirst: options.batchFirst, causal: causal, generator: &generator)
        }
        selfAttention = try attention(causal: options.causal)
        crossAttention = try attention(causal: false)
        feedForward = try TransformerFeedForward(options, generator: &generator)
        func norm() throws(NNError) -> LayerNorm {
            try LayerNorm(normalizedShape: [options.dModel], eps: options.layerNormEps, bias: options.bias)
        }
        (norm1, norm2, norm3) = (try norm(), try norm(), try norm())
        dropout1 = try Dropout(p: options.dropout, generator: &generator)
        dropout2 = try Dropout(p: options.dropout, generator: &generator)
        dropout3 = try Dropout(p: options.dropout, generator: &generator)
        super.init()
        for (name, module) in [("self_attn", selfAttention), ("multihead_attn", crossAttention), ("linear1", feedForward.linear1),
                               ("dropout", feedForward.dropout), ("linear2", feedForward.linear2), ("norm1", norm1), ("norm2", norm2),
                               ("norm3", norm3), ("dropout1", dropout1), ("dropout2", dropout2), ("dropout3", dropout3)] as [(String, Module)] {
            registerModule(name, module)
        }
    }

    override public var inputCount: Int? { 2 }

    override public func forward(_ inputs: [Variable]) throws(NNError) -> Variable {
        guard inputs.count == 2 else { throw .invalidArgument("TransformerDecoderLayer takes 2 inputs (target, memory) but was given \(inputs.count)") }
        let (target, memory) = (inputs[0], inputs[1])
        return try residualBlocks(target, normFirst: options.normFirst, [
            ({ (x: Variable) throws(NNError) in try self.dropout1(self.selfAttention(x)) }, norm1),
            ({ (x: Variable) throws(NNError) in try self.dropout2(self.crossAttention.forward(x, memory: memory, causal: false)) }, norm2),
            ({ (x: Variable) throws(NNError) in try self.dropout3(self.feedForward(x)) }, norm3),
        ])
    }
}
