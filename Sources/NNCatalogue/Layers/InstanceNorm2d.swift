import NN
import NNSpec
import NNTensor

/// `nn.InstanceNorm2d`: normalise each image's channels over their positions.
struct InstanceNorm2dDefinition: ExportableLayer {
    let typeName = "InstanceNorm2d"
    let summary = "Normalises each channel of each image over H×W; optionally learns a scale and shift and keeps running statistics."
    let arguments = [
        ArgumentSpec("num_features", .integerOrAuto(.positive), "channels C (auto: the incoming C)"),
        ArgumentSpec("eps", .real(.positive), default: .real(1e-5), "added to the variance"),
        ArgumentSpec(
            "momentum", .real(.closedUnit), default: .real(0.1), acceptsNone: true,
            "weight of the new batch in the running statistics (None: 0, they stay)"),
        ArgumentSpec("affine", .boolean, default: .boolean(false), "learn weight and bias"),
        ArgumentSpec("track_running_stats", .boolean, default: .boolean(false), "keep running_mean and running_var, used in eval"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn the bias (with affine)"),
    ]
    let shapeRule = "[N, C, H, W] → the same, C = num_features"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([4], layout: "[N, C, H, W]") else { return nil }
        check.infer("num_features", from: 0)
        if check.sample[1] * check.sample[2] <= 1 {
            check.error(
                "\(check.layerLabel) normalises over H×W, which is \(check.sample[1])×\(check.sample[2]) \(check.source()): PyTorch needs more than 1 position when training")
        }
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] { NormalizationState.parameters(arguments, channels: "num_features") }

    func buffers(_ arguments: Arguments) -> [ParameterShape] { NormalizationState.buffers(arguments) }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (numFeatures, eps) = (try arguments.integer("num_features"), try arguments.real("eps"))
        let (momentum, tracking) = (try arguments.optionalReal("momentum"), try arguments.boolean("track_running_stats"))
        let (affine, bias) = (try arguments.boolean("affine"), try arguments.boolean("bias"))
        return try arguments.construct { () throws(NNError) in
            try InstanceNorm2d(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, trackRunningStats: tracking, bias: bias)
        }
    }
}

extension InstanceNorm2dDefinition: ONNXExportableLayer {
    /// InstanceNormalization; with track_running_stats PyTorch's eval mode normalises with the
    /// running statistics instead, which is BatchNormalization's eval form.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let channels = graph.arguments.integer("num_features") ?? 1
        let affine = graph.arguments.boolean("affine") == true
        let scale = affine ? graph.parameter("weight") : graph.constant("scale", floats: Array(repeating: 1, count: channels), shape: [channels])
        let bias = affine && graph.arguments.boolean("bias") == true
            ? graph.parameter("bias") : graph.constant("bias", floats: Array(repeating: 0, count: channels), shape: [channels])
        let epsilon: [(String, ONNXAttribute)] = [("epsilon", .float(Float(graph.arguments.real("eps") ?? 1e-5)))]
        if graph.arguments.boolean("track_running_stats") == true {
            graph.node("BatchNormalization", [graph.input, scale, bias, graph.parameter("running_mean"), graph.parameter("running_var")], epsilon)
        } else {
            graph.node("InstanceNormalization", [graph.input, scale, bias], epsilon)
        }
    }
}
