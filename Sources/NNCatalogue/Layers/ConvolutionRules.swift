import NN
import NNSpec

/// The rules Conv1d, Conv2d and ConvTranspose2d share.
enum ConvolutionRules {
    /// Reports, at `groups`, groups that do not divide both channel counts.
    static func checkGroups(_ check: inout ShapeCheck, inChannels: Int, outChannels: Int) {
        guard let groups = check.arguments.integer("groups") else { return }
        if inChannels % groups != 0 || outChannels % groups != 0 {
            check.error(
                "\(check.layerLabel) groups \(groups) must divide in_channels \(inChannels) and out_channels \(outChannels)",
                argument: "groups")
        }
    }

    /// Reports, at `padding`, 'same' with a stride other than 1 (written `strideText`); true when allowed.
    static func sameAllowed(_ check: inout ShapeCheck, strideIsOne: Bool, strideText: String) -> Bool {
        guard !strideIsOne else { return true }
        check.error(
            "\(check.layerLabel) padding 'same' needs stride 1, not \(strideText): PyTorch does not support it for strided convolutions",
            argument: "padding", hint: "write padding as sizes, e.g. (kernel_size − 1)/2 on each side for an odd kernel_size")
        return false
    }

    /// weight `[weightChannels.0, weightChannels.1 / groups] + kernel`, and bias [`biasCount`] when `bias` is true.
    static func parameters(_ arguments: Arguments, weightChannels: (Int, Int), kernel: [Int], biasCount: Int) -> [ParameterShape] {
        guard let groups = arguments.integer("groups") else { return [] }
        let weight = ParameterShape("weight", [weightChannels.0, weightChannels.1 / groups] + kernel)
        return arguments.boolean("bias") == true ? [weight, ParameterShape("bias", [biasCount])] : [weight]
    }
}
