import NN
import NNSpec
import NNTensor

/// `nn.TransformerEncoder(encoder_layer, num_layers, norm=None)`: `encoder_layer` and `norm` are
/// layers written as mappings with `type:`; the encoder layer is copied `num_layers` times.
struct TransformerEncoderDefinition: BuildableLayer {
    let typeName = "TransformerEncoder"
    let summary = "num_layers copies of encoder_layer applied in turn (equal at the start, as PyTorch's deep copies), then norm if given."
    let arguments = [ArgumentSpec("num_layers", .integer(.positive), "copies of encoder_layer")]
    let nestedLayers = [
        NestedLayerKey(
            "encoder_layer", types: ["TransformerEncoderLayer"], isRequired: true,
            "the layer copied num_layers times: {type: TransformerEncoderLayer, d_model: 64, nhead: 4, batch_first: true}",
            copies: { arguments in (0..<(arguments.integer("num_layers") ?? 0)).map { "layers.\($0)" } },
            refusal: { arguments in
                arguments.boolean("causal") == true
                    ? "causal is not supported here (PyTorch's TransformerEncoder passes a mask when called); list TransformerEncoderLayer entries with causal: true instead"
                    : nil
            }),
        NestedLayerKey("norm", types: ["LayerNorm"], isRequired: false, "applied to the last layer's output: {type: LayerNorm, normalized_shape: 64}",
                       copies: { _ in ["norm"] }),
    ]
    let shapeRule = "[N, L, d_model] → [N, L, d_model]"

    /// The most copies of encoder_layer: each is a module with a dozen parameter tensors.
    static let maximumLayers = 1000

    /// The shape is kept; encoder_layer's own rule checks it (NestedLayers).
    func output(_ check: inout ShapeCheck) -> InferredShape? {
        if let count = check.arguments.integer("num_layers"), count > Self.maximumLayers {
            check.error("\(check.layerLabel) num_layers \(count) is more than the limit \(Self.maximumLayers)", argument: "num_layers")
            return nil
        }
        guard check.requireRank([3], layout: "[N, L, d_model]") else { return nil }
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    /// The encoder layer built `num_layers` times from the same generator state (PyTorch deep-copies
    /// one layer), the generator then where one layer leaves it; then the norm.
    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let count = try arguments.integer("num_layers")
        guard let layer = arguments.nestedLayers.first(where: { $0.key == "encoder_layer" }) else {
            throw arguments.failure("encoder_layer is missing")
        }
        let start = generator
        var layers = [try StandardCatalogue.module(forNested: layer, of: arguments, generator: &generator)]
        for _ in 1..<max(count, 1) {
            var copy = start
            layers.append(try StandardCatalogue.module(forNested: layer, of: arguments, generator: &copy))
        }
        let norm = try arguments.nestedLayers.first { $0.key == "norm" }.map { (norm) throws(BuildError) in
            try StandardCatalogue.module(forNested: norm, of: arguments, generator: &generator)
        }
        return try arguments.construct { () throws(NNError) in try TransformerEncoder(layers: layers, norm: norm) }
    }
}

extension TransformerEncoderDefinition: ExportableLayer {}

extension TransformerEncoderDefinition: ONNXExportableLayer {
    /// Its copies of encoder_layer in turn (`ONNXTransformerLayer`, parameters `layers.0.…`), then
    /// the norm's LayerNormalization (parameters `norm.…`).
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        guard let layer = graph.layer.nested.first(where: { $0.key == "encoder_layer" }) else { throw graph.refuse("encoder_layer is missing") }
        let length = graph.layer.inputShapes[0].sampleSizes.first ?? 1
        var x = graph.input
        for copy in layer.copies {
            x = ONNXTransformerLayer(arguments: layer.arguments, prefix: copy + ".", isDecoder: false, length: length)
                .nodes(&graph, input: x, memory: nil)
        }
        if let norm = graph.layer.nested.first(where: { $0.key == "norm" }) {
            x = LayerNormDefinition.onnxNodes(&graph, arguments: norm.arguments, prefix: "norm.", input: x, to: "norm_output")
        }
        graph.node("Identity", [x])
    }
}
