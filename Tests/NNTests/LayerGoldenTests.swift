import NN
import NNTensor
import Testing

/// make_reference.py's LAYERS: with PyTorch's parameters and buffers loaded by name, each layer must
/// reproduce PyTorch's output, and after `backward(gradient:)` with the given output gradient, its
/// input gradient, parameter gradients and (BatchNorm in training) updated running statistics.
@Suite struct LayerGoldenTests {
    static let cases = [
        "linear", "linear_no_bias", "conv2d", "conv2d_stride_padding", "conv2d_dilation", "conv2d_groups_no_bias",
        "conv2d_rectangular", "maxpool2d", "maxpool2d_stride_padding", "maxpool2d_ceil_mode",
        "avgpool2d", "avgpool2d_stride_padding", "avgpool2d_exclude_pad", "avgpool2d_ceil_mode",
        "adaptive_avgpool2d", "adaptive_avgpool2d_global", "batchnorm1d_train", "batchnorm1d_train_3d",
        "batchnorm1d_eval", "batchnorm2d_train", "batchnorm2d_train_momentum", "batchnorm2d_eval",
        "layernorm", "layernorm_2d", "flatten", "relu", "leaky_relu", "leaky_relu_slope", "elu", "elu_alpha", "gelu", "gelu_tanh", "sigmoid", "tanh",
        "softmax", "softmax_last_dim", "log_softmax", "log_softmax_middle_dim", "relu6", "silu", "hardswish",
        "softplus", "softplus_beta_threshold", "mish", "conv1d", "conv1d_stride_padding_dilation_groups",
        "conv1d_same_even_no_bias", "maxpool1d", "maxpool1d_stride_padding_dilation_ceil", "avgpool1d",
        "avgpool1d_exclude_pad_ceil", "adaptive_avgpool1d", "batchnorm1d_eval_3d", "conv_transpose2d",
        "conv_transpose2d_stride_padding_output_padding_groups", "conv_transpose2d_dilation_output_padding_no_bias",
        "upsample_nearest_scale", "upsample_nearest_size", "upsample_nearest_fractional_scale", "upsample_bilinear_scale",
        "upsample_bilinear_size", "upsample_bilinear_align_corners_size", "upsample_bilinear_align_corners_scale",
        "upsample_bilinear_recompute_scale", "groupnorm", "groupnorm_3d_no_affine", "instancenorm2d",
        "instancenorm2d_affine_tracking_train", "instancenorm2d_affine_tracking_eval", "transpose", "transpose_negative_dims",
        "conv2d_depthwise_stride2_padding", "conv2d_depthwise_dilation_no_bias",
    ]

    /// PyTorch's `_size_2_t` argument: `3` or `[2, 3]`.
    static func intOrPair(_ values: [Int]?) throws -> IntOrPair? {
        guard let values else { return nil }
        switch values.count {
        case 1: return .single(values[0])
        case 2: return .pair(values[0], values[1])
        default: throw NNError.invalidArgument("expected an int or a pair, got \(values)")
        }
    }

    /// The layer the case's configuration describes; its parameters are then loaded from the file.
    static func makeLayer(_ config: ReferenceConfig) throws -> Module {
        var generator = RandomGenerator(seed: 0)
        func int(_ key: String) throws -> Int { try #require(config.int(key), "\(key)") }
        func pair(_ key: String) throws -> IntOrPair? { try intOrPair(config.ints(key)) }
        switch config.type {
        case "Linear":
            return try Linear(inFeatures: int("in_features"), outFeatures: int("out_features"),
                              bias: config.bool("bias") ?? true, generator: &generator)
        case "Conv2d":
            return try Conv2d(inChannels: int("in_channels"), outChannels: int("out_channels"),
                              kernelSize: try #require(try pair("kernel_size")), stride: pair("stride") ?? 1,
                              padding: .sizes(pair("padding") ?? 0), dilation: pair("dilation") ?? 1,
                              groups: config.int("groups") ?? 1, bias: config.bool("bias") ?? true, generator: &generator)
        case "Conv1d":
            let padding: Conv2dPadding = try config.string("padding").map { try #require(Conv2dPadding($0)) } ?? .sizes(.single(config.int("padding") ?? 0))
            return try Conv1d(inChannels: int("in_channels"), outChannels: int("out_channels"), kernelSize: int("kernel_size"),
                              stride: config.int("stride") ?? 1, padding: padding, dilation: config.int("dilation") ?? 1,
                              groups: config.int("groups") ?? 1, bias: config.bool("bias") ?? true, generator: &generator)
        case "MaxPool1d":
            return try MaxPool1d(kernelSize: int("kernel_size"), stride: config.int("stride"), padding: config.int("padding") ?? 0,
                                 dilation: config.int("dilation") ?? 1, ceilMode: config.bool("ceil_mode") ?? false)
        case "AvgPool1d":
            return try AvgPool1d(kernelSize: int("kernel_size"), stride: config.int("stride"), padding: config.int("padding") ?? 0,
                                 ceilMode: config.bool("ceil_mode") ?? false, countIncludePad: config.bool("count_include_pad") ?? true)
        case "AdaptiveAvgPool1d":
            return try AdaptiveAvgPool1d(outputSize: int("output_size"))
        case "ConvTranspose2d":
            return try ConvTranspose2d(inChannels: int("in_channels"), outChannels: int("out_channels"),
                                       kernelSize: try #require(try pair("kernel_size")), stride: pair("stride") ?? 1,
                                       padding: pair("padding") ?? 0, outputPadding: pair("output_padding") ?? 0,
                                       groups: config.int("groups") ?? 1, bias: config.bool("bias") ?? true,
                                       dilation: pair("dilation") ?? 1, generator: &generator)
        case "Upsample":
            return try Upsample(size: pair("size"), scaleFactor: config.double("scale_factor"),
                                mode: try #require(Upsample.Mode(rawValue: config.string("mode") ?? "nearest")),
                                alignCorners: config.bool("align_corners"), recomputeScaleFactor: config.bool("recompute_scale_factor"))
        case "GroupNorm":
            return try GroupNorm(numGroups: int("num_groups"), numChannels: int("num_channels"), eps: config.double("eps") ?? 1e-5,
                                 affine: config.bool("affine") ?? true)
        case "InstanceNorm2d":
            return try InstanceNorm2d(numFeatures: int("num_features"), eps: config.double("eps") ?? 1e-5,
                                      momentum: config.double("momentum") ?? 0.1, affine: config.bool("affine") ?? false,
                                      trackRunningStats: config.bool("track_running_stats") ?? false)
        case "MaxPool2d":
            return try MaxPool2d(kernelSize: try #require(try pair("kernel_size")), stride: pair("stride"),
                                 padding: pair("padding") ?? 0, ceilMode: config.bool("ceil_mode") ?? false)
        case "AvgPool2d":
            return try AvgPool2d(kernelSize: try #require(try pair("kernel_size")), stride: pair("stride"),
                                 padding: pair("padding") ?? 0, ceilMode: config.bool("ceil_mode") ?? false,
                                 countIncludePad: config.bool("count_include_pad") ?? true)
        case "AdaptiveAvgPool2d":
            return try AdaptiveAvgPool2d(outputSize: try #require(try pair("output_size")))
        case "BatchNorm1d":
            return try BatchNorm1d(numFeatures: int("num_features"), eps: config.double("eps") ?? 1e-5,
                                   momentum: config.double("momentum") ?? 0.1)
        case "BatchNorm2d":
            return try BatchNorm2d(numFeatures: int("num_features"), eps: config.double("eps") ?? 1e-5,
                                   momentum: config.double("momentum") ?? 0.1)
        case "LayerNorm":
            return try LayerNorm(normalizedShape: try #require(config.ints("normalized_shape")),
                                 eps: config.double("eps") ?? 1e-5)
        case "Softmax": return Softmax(dim: try int("dim"))
        case "LogSoftmax": return LogSoftmax(dim: try int("dim"))
        case "Flatten": return Flatten()
        case "Transpose": return Transpose(dim0: try int("dim0"), dim1: try int("dim1"))
        case "ReLU": return ReLU()
        case "LeakyReLU": return config.double("negative_slope").map { LeakyReLU(negativeSlope: $0) } ?? LeakyReLU()
        case "ELU": return config.double("alpha").map { ELU(alpha: $0) } ?? ELU()
        case "GELU": return try config.string("approximate").map { try GELU(approximate: $0) } ?? GELU()
        case "Sigmoid": return Sigmoid()
        case "Tanh": return Tanh()
        case "ReLU6": return ReLU6()
        case "SiLU": return SiLU()
        case "Hardswish": return Hardswish()
        case "Softplus": return Softplus(beta: config.double("beta") ?? 1, threshold: config.double("threshold") ?? 20)
        case "Mish": return Mish()
        default: throw NNError.invalidArgument("no layer \(config.type) in this test")
        }
    }

    @Test(arguments: cases)
    func forwardAndBackwardMatchPyTorch(_ name: String) throws {
        let file = try Reference.load("layers.safetensors")
        let config = try ReferenceConfig(file, name)
        let layer = try Self.makeLayer(config)
        layer.train(config.bool("train") ?? true)

        let parameterPrefix = "\(name).param."
        let pytorchState = file.tensors.filter { $0.name.hasPrefix(parameterPrefix) }
        #expect(layer.stateDictionary().map(\.name).sorted() == pytorchState.map { String($0.name.dropFirst(parameterPrefix.count)) }.sorted(),
                "\(name): state names")
        for named in pytorchState {
            try layer.load(named.tensor, into: String(named.name.dropFirst(parameterPrefix.count)))
        }

        let input = Variable(try file.tensor(named: "\(name).input"), requiresGrad: true)
        let output = try layer(input)
        expectClose(output.value, try file.tensor(named: "\(name).output"), "\(name) output")
        try output.backward(gradient: try file.tensor(named: "\(name).grad_output"))
        expectClose(try #require(input.grad, "\(name): no input gradient"), try file.tensor(named: "\(name).grad_input"),
                    "\(name) input gradient")
        for (parameterName, parameter) in layer.namedParameters() {
            expectClose(try #require(parameter.grad, "\(name): no gradient for \(parameterName)"),
                        try file.tensor(named: "\(name).grad.\(parameterName)"), "\(name) gradient of \(parameterName)")
        }
        for (bufferName, buffer) in layer.namedBuffers() {
            expectClose(buffer.value, try file.tensor(named: "\(name).buffer_after.\(bufferName)"), "\(name) \(bufferName) after")
        }
    }

    @Test func everyReferenceCaseIsTested() throws {
        let file = try Reference.load("layers.safetensors")
        #expect(Set(try Reference.metadata(file).keys) == Set(Self.cases + SequenceLayerGoldenTests.cases))
    }
}
