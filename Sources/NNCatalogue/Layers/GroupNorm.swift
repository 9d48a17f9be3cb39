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
