import NN
import NNSpec
import NNTensor

/// `nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, …)`: a learned vector per token id.
struct EmbeddingDefinition: ExportableLayer {
    let typeName = "Embedding"
    let summary = "Looks up a learned embedding_dim vector per token id (ids: whole numbers in 0…num_embeddings−1)."
    let arguments = [
        ArgumentSpec("num_embeddings", .integer(.positive), "vocabulary size: ids are 0…num_embeddings−1"),
        ArgumentSpec("embedding_dim", .integer(.positive), "size of each embedding vector"),
        ArgumentSpec(
            "padding_idx", .integer(.any), default: ArgumentValue.none,
            "an id whose vector stays zero and gets no gradient (negative: counted from the end)"),
        ArgumentSpec("max_norm", .real(.positive), default: ArgumentValue.none, "renormalise looked-up vectors (only None)"),
        ArgumentSpec("norm_type", .real(.positive), default: .real(2), "the p of max_norm's p-norm"),
        ArgumentSpec("scale_grad_by_freq", .boolean, default: .boolean(false), "divide gradients by the id's count in the batch"),
        ArgumentSpec("sparse", .boolean, default: .boolean(false), "sparse weight gradients (only false)"),
    ]
    let shapeRule = "[N, *] token ids → [N, *, embedding_dim]"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        if let maxNorm = check.arguments.real("max_norm") {
            check.error(
                "\(check.layerLabel) max_norm \(maxNorm) is not supported: nnspec's Embedding does not renormalise its rows",
                argument: "max_norm", hint: "remove max_norm")
        }
        if check.arguments.boolean("sparse") == true {
            check.error("\(check.layerLabel) sparse gradients are not supported", argument: "sparse", hint: "write `sparse: false`")
        }
        if let count = check.arguments.integer("num_embeddings"), let padding = check.arguments.integer("padding_idx"),
            !(-count..<count).contains(padding) {
            check.error(
                "\(check.layerLabel) padding_idx \(padding) must be within num_embeddings (\(-count)…\(count - 1))",
                argument: "padding_idx")
        }
        guard let width = check.arguments.integer("embedding_dim") else { return nil }
        return InferredShape(check.input.withSample(check.sample + [width]), derivations: check.flows[0].derivations)
    }

    func tokenCount(_ arguments: Arguments) -> Int? { arguments.integer("num_embeddings") }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let count = arguments.integer("num_embeddings"), let width = arguments.integer("embedding_dim") else { return [] }
        return [ParameterShape("weight", [count, width])]
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        try arguments.require("max_norm", is: .none)
        try arguments.require("sparse", is: .boolean(false))
        let (count, width) = (try arguments.integer("num_embeddings"), try arguments.integer("embedding_dim"))
        let (padding, normType) = (try arguments.optionalInteger("padding_idx"), try arguments.real("norm_type"))
        let scale = try arguments.boolean("scale_grad_by_freq")
        return try arguments.construct { () throws(NNError) in
            try Embedding(numEmbeddings: count, embeddingDim: width, paddingIdx: padding, normType: normType,
                          scaleGradByFreq: scale, generator: &generator)
        }
    }
}

extension EmbeddingDefinition: ONNXExportableLayer {
    /// The ids (float in nnspec's input) cast to int64, then Gather of the weight's rows.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let ids = graph.node("Cast", [graph.input], [("to", .integer(7))], to: "ids")
        graph.node("Gather", [graph.parameter("weight"), ids], [("axis", .integer(0))])
    }
}

extension EmbeddingDefinition {
    /// A subclass of `nn.Embedding` under the same name that takes nnspec's float ids.
    var pytorchClass: PyTorchClass {
        .own(typeName, definition: """
            class Embedding(nn.Embedding):
                \"\"\"nn.Embedding of nnspec's inputs: the ids come as floats and are looked up as integers.\"\"\"

                def forward(self, x):
                    return super().forward(x.long())
            """)
    }
}
