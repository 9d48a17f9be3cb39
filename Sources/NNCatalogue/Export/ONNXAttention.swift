import Foundation

/// The ONNX nodes of PyTorch's multi-head attention (`nn.MultiheadAttention` with packed in_proj
/// weights, batch first), as MatMul and Softmax: shared by MultiheadAttention and the transformer
/// layers' self_attn and multihead_attn.
struct ONNXAttention {
    /// The parameters' prefix in the layer (`` or `self_attn.`), and the value names' prefix.
    let prefix: String
    let embedDim: Int
    let heads: Int
    let bias: Bool
    let causal: Bool

    /// softmax(Q·Kᵀ/√d + mask)·V through out_proj: query [N, L, E] from `query`, keys and values from
    /// `memory` [N, S, E] (the query itself for self-attention); returns the output [N, L, E].
    func nodes(_ graph: inout ONNXLayerBuilder, query: String, memory: String, length: Int) -> String {
        let e = embedDim, d = embedDim / heads
        let weight = graph.parameter(prefix + "in_proj_weight")
        let projectionBias = bias ? graph.parameter(prefix + "in_proj_bias") : nil
        let axes = graph.constant(prefix + "rows", integers: [0])
        /// Rows [first·E, (first+1)·E) of the packed projection applied to `source`, as [N, H, ·, d].
        func projected(_ source: String, _ first: Int, _ name: String) -> String {
            let (starts, ends) = (graph.constant("\(prefix)\(name)_start", integers: [first * e]),
                                  graph.constant("\(prefix)\(name)_end", integers: [(first + 1) * e]))
            let rows = graph.node("Slice", [weight, starts, ends, axes], to: "\(prefix)\(name)_weight")
            let transposed = graph.node("Transpose", [rows], [("perm", .integers([1, 0]))], to: "\(prefix)\(name)_weight_t")
            var value = graph.node("MatMul", [source, transposed], to: "\(prefix)\(name)_product")
            if let projectionBias {
                let part = graph.node("Slice", [projectionBias, starts, ends, axes], to: "\(prefix)\(name)_bias")
                value = graph.node("Add", [value, part], to: "\(prefix)\(name)_projected")
            }
            let split = graph.node("Reshape", [value, graph.constant("\(prefix)\(name)_heads", integers: [0, 0, heads, d])],
                                   to: "\(prefix)\(name)_split")
            return graph.node("Transpose", [split], [("perm", .integers(name == "k" ? [0, 2, 3, 1] : [0, 2, 1, 3]))],
                              to: "\(prefix)\(name)_per_head")
        }
        let (q, k, v) = (projected(query, 0, "q"), projected(memory, 1, "k"), projected(memory, 2, "v"))
        let products = graph.node("MatMul", [q, k], to: "\(prefix)products")
        var scores = graph.node("Mul", [products, graph.constant("\(prefix)scale", floats: [Float(1 / Double(d).squareRoot())])],
                                to: "\(prefix)scores")
        if causal {
            let mask = (0..<length).flatMap { row in (0..<length).map { column in column > row ? -Float.infinity : 0 } }
            scores = graph.node("Add", [scores, graph.constant("\(prefix)causal_mask", floats: mask, shape: [length, length])],
                                to: "\(prefix)masked_scores")
        }
        let weights = graph.node("Softmax", [scores], [("axis", .integer(-1))], to: "\(prefix)weights")
        let attended = graph.node("MatMul", [weights, v], to: "\(prefix)attended")
        let positions = graph.node("Transpose", [attended], [("perm", .integers([0, 2, 1, 3]))], to: "\(prefix)positions")
        let joined = graph.node("Reshape", [positions, graph.constant("\(prefix)joined_shape", integers: [0, 0, e])], to: "\(prefix)joined")
        return linear(&graph, joined, prefix + "out_proj", bias: bias)
    }
}

/// `x·weightᵀ + bias` of the Linear `name` of the layer (`out_proj`, `linear1`); returns its value name.
func linear(_ graph: inout ONNXLayerBuilder, _ input: String, _ name: String, bias: Bool) -> String {
    let transposed = graph.node("Transpose", [graph.parameter(name + ".weight")], [("perm", .integers([1, 0]))], to: name + "_weight_t")
    let product = graph.node("MatMul", [input, transposed], to: name + "_product")
    return bias ? graph.node("Add", [product, graph.parameter(name + ".bias")], to: name + "_output") : product
}
