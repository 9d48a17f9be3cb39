import NN
import NNSpec
import NNTensor

/// Makes the `NN` module of one resolved layer, with PyTorch's constructor arguments.
///
/// Parameters are initialised from `generator` as the module is made, so making the layers in
/// spec order draws the initial weights in the order PyTorch's constructors would.
enum LayerFactory {
    /// The `torch.nn` types this factory makes.
    static let typeNames = [
        "Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm",
        "Flatten", "Reshape", "Softmax", "LogSoftmax", "Add", "Concat", "ReLU", "LeakyReLU", "ELU", "GELU", "Sigmoid", "Tanh",
        "Dropout", "Identity",
    ]

    static func module(for layer: ResolvedLayer, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let arguments = LayerArguments(layer: layer)
        switch layer.typeName {
        case "Linear":
            let (inFeatures, outFeatures) = (try arguments.integer("in_features"), try arguments.integer("out_features"))
            let bias = try arguments.boolean("bias")
            return try arguments.construct { () throws(NNError) in
                try NN.Linear(inFeatures: inFeatures, outFeatures: outFeatures, bias: bias, generator: &generator)
            }
        case "Conv2d":
            try arguments.require("padding_mode", is: .text("zeros"))
            let (inChannels, outChannels) = (try arguments.integer("in_channels"), try arguments.integer("out_channels"))
            let (kernelSize, stride) = (try arguments.size("kernel_size"), try arguments.size("stride"))
            let (padding, dilation) = (try arguments.convolutionPadding("padding"), try arguments.size("dilation"))
            let (groups, bias) = (try arguments.integer("groups"), try arguments.boolean("bias"))
            return try arguments.construct { () throws(NNError) in
                try NN.Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
                              padding: padding, dilation: dilation, groups: groups, bias: bias, generator: &generator)
            }
        case "MaxPool2d":
            try arguments.require("return_indices", is: .boolean(false))
            let (kernelSize, stride) = (try arguments.size("kernel_size"), try arguments.optionalSize("stride"))
            let (padding, dilation) = (try arguments.size("padding"), try arguments.size("dilation"))
            let ceilMode = try arguments.boolean("ceil_mode")
            return try arguments.construct { () throws(NNError) in
                try NN.MaxPool2d(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
            }
        case "AvgPool2d":
            try arguments.require("divisor_override", is: .none)
            let (kernelSize, stride) = (try arguments.size("kernel_size"), try arguments.optionalSize("stride"))
            let (padding, ceilMode) = (try arguments.size("padding"), try arguments.boolean("ceil_mode"))
            let countIncludePad = try arguments.boolean("count_include_pad")
            return try arguments.construct { () throws(NNError) in
                try NN.AvgPool2d(kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                                 countIncludePad: countIncludePad)
            }
        case "AdaptiveAvgPool2d":
            let outputSize = try arguments.size("output_size")
            return try arguments.construct { () throws(NNError) in try NN.AdaptiveAvgPool2d(outputSize: outputSize) }
        case "BatchNorm1d", "BatchNorm2d":
            let (numFeatures, eps) = (try arguments.integer("num_features"), try arguments.real("eps"))
            let (momentum, tracking) = (try arguments.optionalReal("momentum"), try arguments.boolean("track_running_stats"))
            let (affine, bias) = (try arguments.boolean("affine"), try arguments.boolean("bias"))
            return try arguments.construct { () throws(NNError) -> Module in
                layer.typeName == "BatchNorm1d"
                    ? try NN.BatchNorm1d(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                                         trackRunningStats: tracking)
                    : try NN.BatchNorm2d(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                                         trackRunningStats: tracking)
            }
        case "LayerNorm":
            let (normalizedShape, eps) = (try arguments.integers("normalized_shape"), try arguments.real("eps"))
            let (affine, bias) = (try arguments.boolean("elementwise_affine"), try arguments.boolean("bias"))
            return try arguments.construct { () throws(NNError) in
                try NN.LayerNorm(normalizedShape: normalizedShape, eps: eps, elementwiseAffine: affine, bias: bias)
            }
        case "Flatten":
            return NN.Flatten(startDim: try arguments.integer("start_dim"), endDim: try arguments.integer("end_dim"))
        case "Reshape":
            let shape = try arguments.integers("shape")
            return try arguments.construct { () throws(NNError) in try NN.Reshape(shape: shape) }
        case "Softmax":
            return NN.Softmax(dim: try arguments.optionalInteger("dim"))
        case "LogSoftmax":
            return NN.LogSoftmax(dim: try arguments.optionalInteger("dim"))
        case "Add":
            return NN.Add()
        case "Concat":
            return NN.Concat(dim: try arguments.integer("dim"))
        case "ReLU":
            return NN.ReLU(inplace: try arguments.boolean("inplace"))
        case "LeakyReLU":
            return NN.LeakyReLU(negativeSlope: try arguments.real("negative_slope"), inplace: try arguments.boolean("inplace"))
        case "ELU":
            return NN.ELU(alpha: try arguments.real("alpha"), inplace: try arguments.boolean("inplace"))
        case "GELU":
            let approximate = try arguments.text("approximate")
            return try arguments.construct { () throws(NNError) in try NN.GELU(approximate: approximate) }
        case "Sigmoid":
            return NN.Sigmoid()
        case "Tanh":
            return NN.Tanh()
        case "Dropout":
            let (probability, inplace) = (try arguments.real("p"), try arguments.boolean("inplace"))
            return try arguments.construct { () throws(NNError) in
                try NN.Dropout(p: probability, inplace: inplace, generator: &generator)
            }
        case "Identity":
            return NN.Identity()
        default:
            throw arguments.failure("no module implements this type yet (implemented: \(typeNames.joined(separator: ", ")))")
        }
    }
}
