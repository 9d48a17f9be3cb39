import NN
import NNSpec
import NNTensor

/// `nn.Linear(in_features, out_features, bias=True)`: y = x Wᵀ + b over the last dimension.
struct LinearDefinition: ExportableLayer {
    let typeName = "Linear"
    let summary = "Applies y = x·Wᵀ + b to the last dimension."
    let arguments = [
        ArgumentSpec("in_features", .integerOrAuto(.positive), "size of each input sample (auto: the incoming last dimension)"),
        ArgumentSpec("out_features", .integer(.positive), "size of each output sample"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn an additive bias"),
        ArgumentSpec(
            "tie_weight", .moduleName, default: ArgumentValue.none,
            "an earlier Embedding whose weight [num_embeddings, embedding_dim] is this weight (self.head.weight = self.tok.weight)"),
    ]
    let shapeRule = "[N, *, in_features] → [N, *, out_features]"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        let sample = check.sample
        guard !sample.isEmpty else {
            check.error("\(check.layerLabel) expects an input [N, *, in_features] but receives \(check.input) \(check.source())")
            return nil
        }
        check.infer("in_features", from: sample.count - 1)
        guard let outFeatures = check.arguments.integer("out_features") else { return nil }
        return InferredShape(check.input.withSample(sample.dropLast() + [outFeatures]))
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let inFeatures = arguments.integer("in_features"), let outFeatures = arguments.integer("out_features") else {
            return []
        }
        // A tied weight is the Embedding's parameter, listed there (named_parameters() lists it once).
        let weight = arguments.text("tie_weight") == nil ? [ParameterShape("weight", [outFeatures, inFeatures])] : []
        return weight + (arguments.boolean("bias") == true ? [ParameterShape("bias", [outFeatures])] : [])
    }

    func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let inFeatures = arguments.integer("in_features") else { return 0 }
        return saturatingProduct(output.sampleSizes + [inFeatures])
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (inFeatures, outFeatures) = (try arguments.integer("in_features"), try arguments.integer("out_features"))
        let bias = try arguments.boolean("bias")
        return try arguments.construct { () throws(NNError) in
            try Linear(inFeatures: inFeatures, outFeatures: outFeatures, bias: bias, generator: &generator)
        }
    }
}

extension LinearDefinition {
    /// `nn.Linear`; a tied weight is assigned after the children are registered
    /// (`self.head.weight = self.tok.weight`), as PyTorch code ties it.
    var pytorchClass: PyTorchClass {
        var linear = PyTorchClass.torch("nn.Linear")
        linear.omittedArguments = ["tie_weight"]
        return linear
    }
}

extension LinearDefinition: ONNXExportableLayer {
    /// Gemm (transB) on [N, in]; on [N, *, in] MatMul with the transposed weight, then the bias.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let bias = graph.arguments.boolean("bias") == true
        let weight = graph.parameter("weight")
        if graph.layer.inputShapes[0].rank == 2 {
            graph.node("Gemm", [graph.input, weight] + (bias ? [graph.parameter("bias")] : []), [("transB", .integer(1))])
            return
        }
        let transposed = graph.node("Transpose", [weight], [("perm", .integers([1, 0]))], to: "weight_t")
        guard bias else {
            graph.node("MatMul", [graph.input, transposed])
            return
        }
        let product = graph.node("MatMul", [graph.input, transposed], to: "matmul")
        graph.node("Add", [product, graph.parameter("bias")])
    }
}
