import NN
import NNSpec
import NNTensor

/// `nn.BatchNorm1d` and `nn.BatchNorm2d`: normalise each channel over the batch (and positions),
/// keeping running statistics.
struct BatchNormDefinition: ExportableLayer {
    /// BatchNorm1d's or BatchNorm2d's module for the common arguments.
    typealias Make = @Sendable (
        _ numFeatures: Int, _ eps: Double, _ momentum: Double?, _ affine: Bool, _ bias: Bool, _ trackRunningStats: Bool
    ) throws(NNError) -> Module

    let typeName: String
    /// Input ranks accepted: BatchNorm1d [N, C] or [N, C, L]; BatchNorm2d [N, C, H, W].
    let ranks: Set<Int>
    let layout: String
    let make: Make
    let summary = "Normalises each of num_features channels with batch statistics; learns a scale and shift."
    let arguments = [
        ArgumentSpec("num_features", .integerOrAuto(.positive), "channels C (auto: the incoming C)"),
        ArgumentSpec("eps", .real(.positive), default: .real(1e-5), "added to the variance"),
        ArgumentSpec(
            "momentum", .real(.closedUnit), default: .real(0.1), acceptsNone: true,
            "weight of the new batch in the running statistics (None: their cumulative average)"),
        ArgumentSpec("affine", .boolean, default: .boolean(true), "learn weight and bias"),
        ArgumentSpec("track_running_stats", .boolean, default: .boolean(true), "keep running_mean and running_var"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn the bias (with affine)"),
    ]

    static let oneDimensional = BatchNormDefinition(typeName: "BatchNorm1d", ranks: [2, 3], layout: "[N, C] or [N, C, L]") {
        (numFeatures, eps, momentum, affine, bias, tracking) throws(NNError) in
        try BatchNorm1d(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias, trackRunningStats: tracking)
    }
    static let twoDimensional = BatchNormDefinition(typeName: "BatchNorm2d", ranks: [4], layout: "[N, C, H, W]") {
        (numFeatures, eps, momentum, affine, bias, tracking) throws(NNError) in
        try BatchNorm2d(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias, trackRunningStats: tracking)
    }

    var shapeRule: String { "\(layout) → the same, C = num_features" }

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank(ranks, layout: layout) else { return nil }
        check.infer("num_features", from: 0)
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] { NormalizationState.parameters(arguments, channels: "num_features") }

    func buffers(_ arguments: Arguments) -> [ParameterShape] { NormalizationState.buffers(arguments) }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (numFeatures, eps) = (try arguments.integer("num_features"), try arguments.real("eps"))
        let (momentum, tracking) = (try arguments.optionalReal("momentum"), try arguments.boolean("track_running_stats"))
        let (affine, bias) = (try arguments.boolean("affine"), try arguments.boolean("bias"))
        return try arguments.construct { () throws(NNError) in try make(numFeatures, eps, momentum, affine, bias, tracking) }
    }
}

/// `nn.LayerNorm(normalized_shape)`: normalise each sample over its last dimensions.
struct LayerNormDefinition: ExportableLayer {
    let typeName = "LayerNorm"
    let summary = "Normalises over the trailing normalized_shape dimensions of each sample."
    let arguments = [
        ArgumentSpec("normalized_shape", .integers(.positive), "the trailing sizes normalised over (int or list)"),
        ArgumentSpec("eps", .real(.positive), default: .real(1e-5), "added to the variance"),
        ArgumentSpec("elementwise_affine", .boolean, default: .boolean(true), "learn weight (and bias)"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn a bias when elementwise_affine"),
    ]
    let shapeRule = "[N, *, normalized_shape…] → the same"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard let normalized = check.arguments.integers("normalized_shape") else { return nil }
        let sample = check.sample
        if Array(sample.suffix(normalized.count)) != normalized {
            let received = sample.suffix(normalized.count).map(String.init).joined(separator: ", ")
            check.error(
                "\(check.layerLabel) expects normalized_shape [\(normalized.map(String.init).joined(separator: ", "))] but the input \(check.input) \(check.source()) ends in [\(received)]",
                argument: "normalized_shape")
        }
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard arguments.boolean("elementwise_affine") == true, let shape = arguments.integers("normalized_shape") else {
            return []
        }
        let weight = ParameterShape("weight", shape)
        return arguments.boolean("bias") == true ? [weight, ParameterShape("bias", shape)] : [weight]
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (normalizedShape, eps) = (try arguments.integers("normalized_shape"), try arguments.real("eps"))
        let (affine, bias) = (try arguments.boolean("elementwise_affine"), try arguments.boolean("bias"))
        return try arguments.construct { () throws(NNError) in
            try LayerNorm(normalizedShape: normalizedShape, eps: eps, elementwiseAffine: affine, bias: bias)
        }
    }
}

extension BatchNormDefinition: ONNXExportableLayer {
    /// BatchNormalization in eval form: the running statistics; ones and zeros without affine/bias.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        guard graph.arguments.boolean("track_running_stats") == true else {
            throw graph.refuse("without track_running_stats it normalises with each batch's statistics in eval mode, which ONNX's BatchNormalization does not")
        }
        let channels = graph.arguments.integer("num_features") ?? 0
        let affine = graph.arguments.boolean("affine") == true
        let scale = affine ? graph.parameter("weight") : graph.constant("scale", floats: Array(repeating: 1, count: channels), shape: [channels])
        let bias = affine && graph.arguments.boolean("bias") == true
            ? graph.parameter("bias") : graph.constant("bias", floats: Array(repeating: 0, count: channels), shape: [channels])
        let statistics = [graph.parameter("running_mean"), graph.parameter("running_var")]
        graph.node("BatchNormalization", [graph.input, scale, bias] + statistics,
                   [("epsilon", .float(Float(graph.arguments.real("eps") ?? 1e-5)))])
    }
}

extension LayerNormDefinition: ONNXExportableLayer {
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        Self.onnxNodes(&graph, arguments: graph.arguments, prefix: "", input: graph.input, to: nil)
    }

    /// LayerNormalization over the last dimensions of `input` for a LayerNorm of `arguments` whose
    /// parameters are `prefix` + `weight`/`bias` in the ONNX layer (`norm.` inside a TransformerEncoder);
    /// writes the layer's output when `suffix` is nil. Returns the value name.
    @discardableResult
    static func onnxNodes(_ graph: inout ONNXLayerBuilder, arguments: Arguments, prefix: String, input: String, to suffix: String?) -> String {
        let shape = arguments.integers("normalized_shape") ?? []
        let affine = arguments.boolean("elementwise_affine") == true
        let scale = affine ? graph.parameter(prefix + "weight")
            : graph.constant(prefix + "scale", floats: Array(repeating: 1, count: shape.reduce(1, *)), shape: shape)
        let bias = affine && arguments.boolean("bias") == true ? [graph.parameter(prefix + "bias")] : []
        return graph.node("LayerNormalization", [input, scale] + bias,
                          [("axis", .integer(-shape.count)), ("epsilon", .float(Float(arguments.real("eps") ?? 1e-5)))], to: suffix)
    }
}

/// The state of PyTorch's normalisation layers, by their arguments.
enum NormalizationState {
    /// weight and bias [C] (C the argument `channels`) with `affine`, the bias only with `bias`.
    static func parameters(_ arguments: Arguments, channels: String) -> [ParameterShape] {
        guard arguments.boolean("affine") == true, let features = arguments.integer(channels) else { return [] }
        let weight = ParameterShape("weight", [features])
        return arguments.boolean("bias") == true ? [weight, ParameterShape("bias", [features])] : [weight]
    }

    /// running_mean, running_var [num_features] and num_batches_tracked [] with `track_running_stats`.
    static func buffers(_ arguments: Arguments) -> [ParameterShape] {
        guard arguments.boolean("track_running_stats") == true, let features = arguments.integer("num_features") else {
            return []
        }
        return [
            ParameterShape("running_mean", [features]), ParameterShape("running_var", [features]),
            ParameterShape("num_batches_tracked", []),
        ]
    }
}
