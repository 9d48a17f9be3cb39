import NN
import NNSpec
import NNTensor

/// `nn.GroupNorm`: normalise each sample's channel groups over their channels and positions.
struct GroupNormDefinition: ExportableLayer {
    let typeName = "GroupNorm"
    let summary = "Normalises each of num_groups channel groups of a sample with its own statistics; learns a scale and shift per channel."
    let arguments = [
        ArgumentSpec("num_groups", .integer(.positive), "groups the channels are split into; divides num_channels"),
        ArgumentSpec("num_channels", .integerOrAuto(.positive), "channels C (auto: the incoming C)"),
        ArgumentSpec("eps", .real(.positive), default: .real(1e-5), "added to the variance"),
        ArgumentSpec("affine", .boolean, default: .boolean(true), "learn weight and bias per channel"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn the bias (with affine)"),
    ]
    let shapeRule = "[N, C, *] → the same, C = num_channels, a multiple of num_groups"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([2, 3, 4, 5], layout: "[N, C, *]") else { return nil }
        let channels = check.infer("num_channels", from: 0)
        if let groups = check.arguments.integer("num_groups"), channels % groups != 0 {
            check.error(
                "\(check.layerLabel) num_channels \(channels) is not divisible by num_groups \(groups)", argument: "num_groups",
                hint: "use a num_groups that divides \(channels)")
        }
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] { NormalizationState.parameters(arguments, channels: "num_channels") }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (groups, channels, eps) = (try arguments.integer("num_groups"), try arguments.integer("num_channels"), try arguments.real("eps"))
        let (affine, bias) = (try arguments.boolean("affine"), try arguments.boolean("bias"))
        return try arguments.construct { () throws(NNError) in
            try GroupNorm(numGroups: groups, numChannels: channels, eps: eps, affine: affine, bias: bias)
        }
    }
}

extension GroupNormDefinition: ONNXExportableLayer {
    /// Opset 17 has no GroupNormalization: the input viewed as [N, num_groups, −1] and normalised by
    /// InstanceNormalization, viewed back, then scaled and shifted per channel (weight, bias as [C, 1, …]).
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let groups = graph.arguments.integer("num_groups") ?? 1, channels = graph.arguments.integer("num_channels") ?? 1
        let rank = graph.layer.inputShapes[0].sampleSizes.count + 1
        let shape = graph.node("Shape", [graph.input], to: "shape")
        let grouped = graph.node("Reshape", [graph.input, graph.constant("grouped_shape", integers: [0, groups, -1])], to: "grouped")
        let (ones, zeros) = (graph.constant("ones", floats: Array(repeating: 1, count: groups), shape: [groups]),
                             graph.constant("zeros", floats: Array(repeating: 0, count: groups), shape: [groups]))
        let epsilon = Float(graph.arguments.real("eps") ?? 1e-5)
        let normalized = graph.node("InstanceNormalization", [grouped, ones, zeros], [("epsilon", .float(epsilon))], to: "normalized")
        let affine = graph.arguments.boolean("affine") == true, bias = affine && graph.arguments.boolean("bias") == true
        guard affine else {
            graph.node("Reshape", [normalized, shape])
            return
        }
        let restored = graph.node("Reshape", [normalized, shape], to: "restored")
        let channelShape = graph.constant("channel_shape", integers: [channels] + Array(repeating: 1, count: rank - 2))
        let weight = graph.node("Reshape", [graph.parameter("weight"), channelShape], to: "weight")
        let scaled = graph.node("Mul", [restored, weight], to: bias ? "scaled" : nil)
        if bias {
            let shift = graph.node("Reshape", [graph.parameter("bias"), channelShape], to: "bias")
            graph.node("Add", [scaled, shift])
        }
    }
}
