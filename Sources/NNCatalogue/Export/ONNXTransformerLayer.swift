import NNSpec

/// The ONNX nodes of PyTorch's `TransformerEncoderLayer` / `TransformerDecoderLayer` in eval mode
/// (dropout off), batch first: MatMul/Softmax attention (`ONNXAttention`), LayerNormalization and the
/// feed-forward Linears. With norm_first each block reads its norm of the input and adds to it, else
/// each sum is normalised. Shared by the layers and by TransformerEncoder's copies (`layers.0.`, …).
struct ONNXTransformerLayer {
    /// The layer's resolved arguments (d_model, nhead, activation, norm_first, bias, causal, …).
    let arguments: Arguments
    /// The parameters' and values' prefix in the ONNX layer (`` or `layers.0.`).
    let prefix: String
    let isDecoder: Bool
    /// The sequence length L of the input [N, L, d_model] (the causal mask is [L, L]).
    let length: Int

    /// The layer applied to `input` [N, L, d_model] (`memory` [N, S, d_model]: the decoder's
    /// second input); returns the output's value name, [N, L, d_model].
    func nodes(_ graph: inout ONNXLayerBuilder, input: String, memory: String?) -> String {
        let (model, heads, bias) = (arguments.integer("d_model") ?? 1, arguments.integer("nhead") ?? 1, arguments.boolean("bias") == true)
        let normFirst = arguments.boolean("norm_first") == true, epsilon = Float(arguments.real("layer_norm_eps") ?? 1e-5)
        let prefix = self.prefix
        func norm(_ input: String, _ name: String) -> String {
            let inputs = [input, graph.parameter(prefix + name + ".weight")] + (bias ? [graph.parameter(prefix + name + ".bias")] : [])
            return graph.node("LayerNormalization", inputs, [("axis", .integer(-1)), ("epsilon", .float(epsilon))],
                              to: prefix + name + "_output")
        }
        func feedForward(_ input: String) -> String {
            let hidden = linear(&graph, input, prefix + "linear1", bias: bias)
            let activated: String
            if arguments.text("activation") == "gelu" {
                let scaled = graph.node("Mul", [hidden, graph.constant(prefix + "inverse_sqrt2", floats: [Float(1 / 2.0.squareRoot())])],
                                        to: prefix + "gelu_scaled")
                let erf = graph.node("Erf", [scaled], to: prefix + "gelu_erf")
                let shifted = graph.node("Add", [erf, graph.constant(prefix + "one", floats: [1])], to: prefix + "gelu_shifted")
                let product = graph.node("Mul", [hidden, shifted], to: prefix + "gelu_product")
                activated = graph.node("Mul", [product, graph.constant(prefix + "half", floats: [0.5])], to: prefix + "gelu")
            } else {
                activated = graph.node("Relu", [hidden], to: prefix + "relu")
            }
            return linear(&graph, activated, prefix + "linear2", bias: bias)
        }
        /// One residual block: `x + block(x)` normalised (post-norm), or `x + block(norm(x))`.
        func residual(_ x: String, _ normName: String, _ block: (inout ONNXLayerBuilder, String) -> String) -> String {
            if normFirst {
                let output = block(&graph, norm(x, normName))
                return graph.node("Add", [x, output], to: prefix + normName + "_residual")
            }
            return norm(graph.node("Add", [x, block(&graph, x)], to: prefix + normName + "_sum"), normName)
        }
        let selfAttention = ONNXAttention(prefix: prefix + "self_attn.", embedDim: model, heads: heads, bias: bias,
                                          causal: arguments.boolean("causal") == true)
        var x = residual(input, "norm1") { graph, input in selfAttention.nodes(&graph, query: input, memory: input, length: length) }
        if isDecoder, let memory {
            let crossAttention = ONNXAttention(prefix: prefix + "multihead_attn.", embedDim: model, heads: heads, bias: bias, causal: false)
            x = residual(x, "norm2") { graph, input in crossAttention.nodes(&graph, query: input, memory: memory, length: length) }
        }
        return residual(x, isDecoder ? "norm3" : "norm2") { _, input in feedForward(input) }
    }
}
