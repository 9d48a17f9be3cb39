import NN
import NNSpec
import NNTensor

/// The `causal` argument of the attention layers: nnspec's way to write PyTorch's `is_causal=True`
/// with its causal mask (a call argument in PyTorch, so never printed).
private let causalArgument = ArgumentSpec(
    "causal", .boolean, default: .boolean(false), "nnspec's: mask each position's later positions (PyTorch's is_causal with the causal mask)")

/// MultiheadAttention's parameters under `prefix` (`self_attn.`): in_proj [3E, E] and out_proj [E, E], with biases.
private func attentionParameters(_ prefix: String, embedDim e: Int, bias: Bool) -> [ParameterShape] {
    [ParameterShape(prefix + "in_proj_weight", [3 * e, e])] + (bias ? [ParameterShape(prefix + "in_proj_bias", [3 * e])] : [])
        + [ParameterShape(prefix + "out_proj.weight", [e, e])] + (bias ? [ParameterShape(prefix + "out_proj.bias", [e])] : [])
}

/// Reports `dimension` not divisible by `heads` at the heads argument (PyTorch's assertion).
private func checkDivisible(_ check: inout ShapeCheck, dimension: String, heads: String) {
    guard let size = check.arguments.integer(dimension), let count = check.arguments.integer(heads), count > 0, size % count != 0 else { return }
    check.error("\(check.layerLabel) \(dimension) \(size) must be divisible by \(heads) \(count)", argument: heads,
                hint: "choose \(heads) among the divisors of \(size), or another \(dimension)")
}

/// Multiply-adds of one self-attention over `length` positions: the projections and the two attention products.
private func attentionMultAdds(length: Int, embedDim e: Int) -> Int {
    saturatingSum([saturatingProduct([length, 4, e, e]), saturatingProduct([2, length, length, e])])
}

/// What one attention of `queries` positions to `keys` positions keeps per sample: the weights (and
/// their dropout masks), the packed projections of both sides, the joined heads.
private func attentionSavedElements(queries: Int, keys: Int, embedDim e: Int, heads: Int, dropout: Bool) -> Int {
    saturatingSum([saturatingProduct([heads, queries, keys, dropout ? 2 : 1]), saturatingProduct([queries + keys, 3, e]),
                   saturatingProduct([queries, e])])
}

/// `nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, batch_first=False)` in its
/// self-attention form (query = key = value = the input), passing on the attention output.
struct MultiheadAttentionDefinition: BuildableLayer {
    let typeName = "MultiheadAttention"
    let summary = "Self-attention over a sequence with num_heads heads (query, key and value: the input)."
    let arguments = [
        ArgumentSpec("embed_dim", .integerOrAuto(.positive), "features E of each position (auto: the incoming last dimension)"),
        ArgumentSpec("num_heads", .integer(.positive), "parallel heads; divides embed_dim"),
        ArgumentSpec("dropout", .real(.closedUnit), default: .real(0), "dropout on the attention weights"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn in_proj_bias and out_proj.bias"),
        ArgumentSpec("batch_first", .boolean, default: .boolean(false), "input [N, L, E] (a spec's must be true: its dimension 0 is N)"),
        causalArgument,
    ]
    let shapeRule = "[N, L, embed_dim] → [N, L, embed_dim]"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireSequenceInput(feature: "embed_dim") else { return nil }
        checkDivisible(&check, dimension: "embed_dim", heads: "num_heads")
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let e = arguments.integer("embed_dim"), let bias = arguments.boolean("bias") else { return [] }
        return attentionParameters("", embedDim: e, bias: bias)
    }

    func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let e = arguments.integer("embed_dim"), let length = output.sampleSizes.first else { return 0 }
        return attentionMultAdds(length: length, embedDim: e)
    }

    func savedElements(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let e = arguments.integer("embed_dim"), let heads = arguments.integer("num_heads"), let length = output.sampleSizes.first,
            let dropout = arguments.real("dropout") else { return 0 }
        return attentionSavedElements(queries: length, keys: length, embedDim: e, heads: heads, dropout: dropout > 0)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (e, heads, dropout) = (try arguments.integer("embed_dim"), try arguments.integer("num_heads"), try arguments.real("dropout"))
        let (bias, batchFirst, causal) = (try arguments.boolean("bias"), try arguments.boolean("batch_first"), try arguments.boolean("causal"))
        return try arguments.construct { () throws(NNError) in
            try MultiheadAttention(embedDim: e, numHeads: heads, dropout: dropout, bias: bias, batchFirst: batchFirst, causal: causal,
                                   generator: &generator)
        }
    }
}

/// `nn.TransformerEncoderLayer` and `nn.TransformerDecoderLayer` (d_model, nhead, dim_feedforward=2048,
/// dropout=0.1, activation='relu', layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True),
/// plus `causal` for the (first) self-attention. The decoder reads `from: [target, memory]`.
struct TransformerLayerDefinition: BuildableLayer {
    let typeName: String
    let isDecoder: Bool

    static let encoder = TransformerLayerDefinition(typeName: "TransformerEncoderLayer", isDecoder: false)
    static let decoder = TransformerLayerDefinition(typeName: "TransformerDecoderLayer", isDecoder: true)

    var summary: String {
        isDecoder ? "Self-attention, attention to a memory sequence and a feed-forward block, each with residual and LayerNorm (from: [target, memory])."
            : "Self-attention and a feed-forward block, each with residual and LayerNorm."
    }
    var arity: LayerArity { isDecoder ? .atLeastTwo : .one }

    let arguments = [
        ArgumentSpec("d_model", .integerOrAuto(.positive), "features of each position (auto: the incoming last dimension)"),
        ArgumentSpec("nhead", .integer(.positive), "attention heads; divides d_model"),
        ArgumentSpec("dim_feedforward", .integer(.positive), default: .integer(2048), "hidden size of the feed-forward block"),
        ArgumentSpec("dropout", .real(.closedUnit), default: .real(0.1), "dropout after attention, in and after the feed-forward block"),
        // A literal, the raw values of TransformerActivation: an array built at run time inside this
        // static's enum payload carries tag bits LeakSanitizer cannot follow (a false leak in Fuzz/).
        ArgumentSpec("activation", .choice(["relu", "gelu"]), default: .text("relu"), "the feed-forward activation"),
        ArgumentSpec("layer_norm_eps", .real(.positive), default: .real(1e-5), "the LayerNorms' eps"),
        ArgumentSpec("batch_first", .boolean, default: .boolean(false), "inputs [N, L, d_model] (a spec's must be true: its dimension 0 is N)"),
        ArgumentSpec("norm_first", .boolean, default: .boolean(false), "LayerNorm before each block instead of after the residual"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn the Linear and LayerNorm biases"),
        causalArgument,
    ]

    var shapeRule: String {
        isDecoder ? "[N, L, d_model], memory [N, S, d_model] → [N, L, d_model]" : "[N, L, d_model] → [N, L, d_model]"
    }

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        if isDecoder, check.inputs.count != 2 {
            check.error("\(check.layerLabel) takes 2 inputs, the target and the memory (from: [target, memory]), not \(check.inputs.count)")
            return nil
        }
        guard check.requireSequenceInput(feature: "d_model") else { return nil }
        checkDivisible(&check, dimension: "d_model", heads: "nhead")
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let d = arguments.integer("d_model"), let ff = arguments.integer("dim_feedforward"), let bias = arguments.boolean("bias") else {
            return []
        }
        let attention = attentionParameters("self_attn.", embedDim: d, bias: bias)
            + (isDecoder ? attentionParameters("multihead_attn.", embedDim: d, bias: bias) : [])
        let linears = [("linear1", [ff, d], ff), ("linear2", [d, ff], d)].flatMap { name, weight, out in
            [ParameterShape("\(name).weight", weight)] + (bias ? [ParameterShape("\(name).bias", [out])] : [])
        }
        let norms = (1...(isDecoder ? 3 : 2)).flatMap { index in
            [ParameterShape("norm\(index).weight", [d])] + (bias ? [ParameterShape("norm\(index).bias", [d])] : [])
        }
        return attention + linears + norms
    }

    func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let d = arguments.integer("d_model"), let ff = arguments.integer("dim_feedforward"), let length = output.sampleSizes.first else {
            return 0
        }
        let memoryLength = input.count > 1 ? input[1].sampleSizes.first ?? 0 : 0
        let crossAttention = isDecoder ? attentionMultAdds(length: max(length, memoryLength), embedDim: d) : 0
        return saturatingSum([attentionMultAdds(length: length, embedDim: d), crossAttention, saturatingProduct([2, length, d, ff])])
    }

    /// The attentions' (self, and the decoder's to the memory), and per position the residual sums,
    /// norms, dropout masks and feed-forward activations (about 3·dim_feedforward + 3·d_model per block).
    func savedElements(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let d = arguments.integer("d_model"), let heads = arguments.integer("nhead"), let ff = arguments.integer("dim_feedforward"),
            let dropout = arguments.real("dropout"), let length = output.sampleSizes.first else { return 0 }
        let memoryLength = input.count > 1 ? input[1].sampleSizes.first ?? 0 : 0
        let attentions = [attentionSavedElements(queries: length, keys: length, embedDim: d, heads: heads, dropout: dropout > 0)]
            + (isDecoder ? [attentionSavedElements(queries: length, keys: memoryLength, embedDim: d, heads: heads, dropout: dropout > 0)] : [])
        return saturatingSum(attentions + [saturatingProduct([length, 3, ff]), saturatingProduct([length, isDecoder ? 9 : 6, d])])
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        guard let activation = TransformerActivation(rawValue: try arguments.text("activation")) else {
            throw arguments.failure("activation is not relu or gelu")
        }
        let options = TransformerOptions(
            dModel: try arguments.integer("d_model"), nhead: try arguments.integer("nhead"),
            dimFeedforward: try arguments.integer("dim_feedforward"), dropout: try arguments.real("dropout"), activation: activation,
            layerNormEps: try arguments.real("layer_norm_eps"), batchFirst: try arguments.boolean("batch_first"),
            normFirst: try arguments.boolean("norm_first"), bias: try arguments.boolean("bias"), causal: try arguments.boolean("causal"))
        return try arguments.construct { () throws(NNError) -> Module in
            isDecoder ? try TransformerDecoderLayer(options, generator: &generator) : try TransformerEncoderLayer(options, generator: &generator)
        }
    }
}

/// nnspec's `LearnedPositionalEmbedding(max_len, embedding_dim)`: adds a learned vector per position
/// (PyTorch code: an `nn.Embedding(max_len, d)` of `torch.arange(L)` added to the input).
struct LearnedPositionalEmbeddingDefinition: BuildableLayer {
    let typeName = "LearnedPositionalEmbedding"
    let summary = "Adds a learned embedding_dim vector per position 0…L−1 (nnspec's; PyTorch code adds an nn.Embedding of torch.arange(L))."
    let arguments = [
        ArgumentSpec("max_len", .integer(.positive), "the longest sequence: positions 0…max_len−1"),
        ArgumentSpec("embedding_dim", .integerOrAuto(.positive), "features of each position (auto: the incoming last dimension)"),
    ]
    let shapeRule = "[N, L, embedding_dim] → the same, L ≤ max_len"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([3], layout: "[N, L, embedding_dim]") else { return nil }
        check.infer("embedding_dim", from: 1)
        if let maxLen = check.arguments.integer("max_len"), check.sample[0] > maxLen {
            check.error("\(check.layerLabel) has max_len \(maxLen) positions but receives \(check.received(sampleDimension: 0)) \(check.source())",
                        argument: "max_len", hint: "write `max_len: \(check.sample[0])` or more")
        }
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let maxLen = arguments.integer("max_len"), let width = arguments.integer("embedding_dim") else { return [] }
        return [ParameterShape("weight", [maxLen, width])]
    }

    /// The positions' vectors, copied for each sample.
    func savedElements(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        saturatingProduct(output.sampleSizes)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (maxLen, width) = (try arguments.integer("max_len"), try arguments.integer("embedding_dim"))
        return try arguments.construct { () throws(NNError) in
            try LearnedPositionalEmbedding(maxLen: maxLen, embeddingDim: width, generator: &generator)
        }
    }
}

extension MultiheadAttentionDefinition: ExportableLayer {
    /// A subclass of `nn.MultiheadAttention` under the same name: self-attention of its one input,
    /// returning the attention output only; `causal` passes PyTorch's causal mask.
    var pytorchClass: PyTorchClass {
        .own(typeName, definition: """
            class MultiheadAttention(nn.MultiheadAttention):
                \"\"\"nn.MultiheadAttention as nnspec's layer: query, key and value are the input,
                the weights are not returned, `causal` masks each position's later ones.\"\"\"

                def __init__(self, *args, causal=False, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.causal = causal

                def forward(self, x):
                    length = x.shape[1 if self.batch_first else 0]
                    mask = nn.Transformer.generate_square_subsequent_mask(length, device=x.device)
                    mask = mask if self.causal else None
                    output = super().forward(
                        x, x, x, attn_mask=mask, need_weights=False, is_causal=self.causal
                    )
                    return output[0]
            """)
    }
}

extension TransformerLayerDefinition: ExportableLayer {
    /// A subclass of `nn.TransformerEncoderLayer`/`nn.TransformerDecoderLayer` under the same name
    /// whose `causal` passes PyTorch's causal mask (the decoder's to its self-attention).
    var pytorchClass: PyTorchClass {
        let (inputs, call) = isDecoder
            ? ("x, memory", "super().forward(x, memory, tgt_mask=mask, tgt_is_causal=self.causal)")
            : ("x", "super().forward(x, src_mask=mask, is_causal=self.causal)")
        return .own(typeName, definition: """
            class \(typeName)(nn.\(typeName)):
                \"\"\"nn.\(typeName) with nnspec's `causal`: each position attends to the earlier ones only.\"\"\"

                def __init__(self, *args, causal=False, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.causal = causal

                def forward(self, \(inputs)):
                    length = x.shape[1 if self.self_attn.batch_first else 0]
                    mask = nn.Transformer.generate_square_subsequent_mask(length, device=x.device)
                    mask = mask if self.causal else None
                    return \(call)
            """)
    }
}

extension LearnedPositionalEmbeddingDefinition: ExportableLayer {
    /// nnspec's own module: a learned vector per position added to [N, L, embedding_dim].
    var pytorchClass: PyTorchClass {
        .own(typeName, definition: """
            class LearnedPositionalEmbedding(nn.Module):
                \"\"\"Adds a learned vector per position: x [N, L, embedding_dim] + weight[:L].\"\"\"

                def __init__(self, max_len, embedding_dim):
                    super().__init__()
                    self.max_len, self.embedding_dim = max_len, embedding_dim
                    self.weight = nn.Parameter(torch.empty(max_len, embedding_dim))
                    nn.init.normal_(self.weight)

                def forward(self, x):
                    return x + self.weight[: x.shape[1]]

                def extra_repr(self):
                    return f"max_len={self.max_len}, embedding_dim={self.embedding_dim}"
            """)
    }
}

extension LearnedPositionalEmbeddingDefinition: ONNXExportableLayer {
    /// The input plus the weight's first L rows (Slice), broadcast over the batch.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let length = graph.layer.inputShapes[0].sampleSizes.first ?? 1
        let (starts, ends, axes) = (graph.constant("starts", integers: [0]), graph.constant("ends", integers: [length]),
                                    graph.constant("axes", integers: [0]))
        let positions = graph.node("Slice", [graph.parameter("weight"), starts, ends, axes], to: "positions")
        graph.node("Add", [graph.input, positions])
    }
}

extension MultiheadAttentionDefinition: ONNXExportableLayer {
    /// Self-attention as MatMul and Softmax nodes (`ONNXAttention`), its output copied to the layer's.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let attention = ONNXAttention(prefix: "", embedDim: graph.arguments.integer("embed_dim") ?? 1,
                                      heads: graph.arguments.integer("num_heads") ?? 1, bias: graph.arguments.boolean("bias") == true,
                                      causal: graph.arguments.boolean("causal") == true)
        let length = graph.layer.inputShapes[0].sampleSizes.first ?? 1
        let output = attention.nodes(&graph, query: graph.input, memory: graph.input, length: length)
        graph.node("Identity", [output])
    }
}

extension TransformerLayerDefinition: ONNXExportableLayer {
    /// PyTorch's layer in eval mode (`ONNXTransformerLayer`); the decoder's cross-attention reads
    /// its second input, the memory.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let layer = ONNXTransformerLayer(arguments: graph.arguments, prefix: "", isDecoder: isDecoder,
                                         length: graph.layer.inputShapes[0].sampleSizes.first ?? 1)
        graph.node("Identity", [layer.nodes(&graph, input: graph.input, memory: isDecoder ? graph.inputs[1] : nil)])
    }
}
