import NN
import NNSpec
import NNTensor

/// `nn.Conv2d`: a 2-D convolution over [N, C, H, W].
struct Conv2dDefinition: ExportableLayer {
    let typeName = "Conv2d"
    let summary = "2-D convolution: out_channels filters of in_channels/groups × kernel_size."
    let arguments = [
        ArgumentSpec("in_channels", .integerOrAuto(.positive), "channels of the input (auto: the incoming C)"),
        ArgumentSpec("out_channels", .integer(.positive), "channels produced"),
        ArgumentSpec("kernel_size", .integerPair(.positive), "filter height and width"),
        ArgumentSpec("stride", .integerPair(.positive), default: .integer(1), "step of the window"),
        ArgumentSpec("padding", .padding, default: .integer(0), "zeros added on each side; 'same' keeps H×W (stride 1)"),
        ArgumentSpec("dilation", .integerPair(.positive), default: .integer(1), "spacing between kernel elements"),
        ArgumentSpec("groups", .integer(.positive), default: .integer(1), "blocked connections; divides both channel counts"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn an additive bias"),
        ArgumentSpec("padding_mode", .choice(["zeros"]), default: .text("zeros"), "padding values (only 'zeros')"),
    ]
    let shapeRule = """
        [N, in_channels, H, W] → [N, out_channels, OH, OW], \
        OH = ⌊(H + 2·padding − dilation·(kernel_size − 1) − 1)/stride⌋ + 1 (and OW alike)
        """

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([4], layout: "[N, C, H, W]") else { return nil }
        let inChannels = check.infer("in_channels", from: 0)
        guard let outChannels = check.arguments.integer("out_channels"), let kernel = check.arguments.pair("kernel_size"),
            let stride = check.arguments.pair("stride"), let dilation = check.arguments.pair("dilation")
        else { return nil }
        ConvolutionRules.checkGroups(&check, inChannels: inChannels, outChannels: outChannels)
        guard let window = outputSize(&check, kernel: kernel, stride: stride, dilation: dilation) else { return nil }
        return InferredShape(check.input.withSample([outChannels, window.height, window.width]), derivations: window.derivations)
    }

    /// The output height and width. 'valid' is padding 0; 'same' keeps H×W, which needs stride 1
    /// (PyTorch refuses 'same' for strided convolutions) and pads dilation·(kernel − 1) zeros per
    /// dimension, the odd one after, as PyTorch's `_conv_forward`. The argument keeps the text as
    /// written, so the built Conv2d prints `padding=same` as PyTorch.
    private func outputSize(
        _ check: inout ShapeCheck, kernel: (Int, Int), stride: (Int, Int), dilation: (Int, Int)
    ) -> (height: Int, width: Int, derivations: [Int: String])? {
        switch check.arguments.text("padding") {
        case "valid"?:
            return check.windowOutput(kernel: kernel, stride: stride, padding: (0, 0), dilation: dilation)
        case "same"?:
            guard ConvolutionRules.sameAllowed(&check, strideIsOne: stride == (1, 1), strideText: "\(stride.0)×\(stride.1)") else {
                return nil
            }
            let incoming = check.flows[0].derivations
            return (check.sample[1], check.sample[2], incoming.filter { $0.key == 1 || $0.key == 2 })
        default:
            guard let padding = check.arguments.pair("padding") else { return nil }
            return check.windowOutput(kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        }
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let inChannels = arguments.integer("in_channels"), let outChannels = arguments.integer("out_channels"),
            let kernel = arguments.pair("kernel_size")
        else { return [] }
        return ConvolutionRules.parameters(arguments, weightChannels: (outChannels, inChannels), kernel: [kernel.0, kernel.1],
                                           biasCount: outChannels)
    }

    func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let inChannels = arguments.integer("in_channels"), let kernel = arguments.pair("kernel_size"),
            let groups = arguments.integer("groups")
        else { return 0 }
        return saturatingProduct(output.sampleSizes + [inChannels / groups, kernel.0, kernel.1])
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        try arguments.require("padding_mode", is: .text("zeros"))
        let (inChannels, outChannels) = (try arguments.integer("in_channels"), try arguments.integer("out_channels"))
        let (kernelSize, stride) = (try arguments.size("kernel_size"), try arguments.size("stride"))
        let (padding, dilation) = (try arguments.convolutionPadding("padding"), try arguments.size("dilation"))
        let (groups, bias) = (try arguments.integer("groups"), try arguments.boolean("bias"))
        return try arguments.construct { () throws(NNError) in
            try Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
                       padding: padding, dilation: dilation, groups: groups, bias: bias, generator: &generator)
        }
    }
}

extension Conv2dDefinition: ONNXExportableLayer {
    /// Conv; `padding: same` pads dilation·(kernel − 1) per dimension, the odd one after, as PyTorch.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let (kernel, stride, dilation) = (try graph.pair("kernel_size"), try graph.pair("stride"), try graph.pair("dilation"))
        let pads: [Int]
        switch graph.arguments.text("padding") {
        case "valid"?: pads = [0, 0, 0, 0]
        case "same"?:
            let total = (dilation.0 * (kernel.0 - 1), dilation.1 * (kernel.1 - 1))
            pads = [total.0 / 2, total.1 / 2, total.0 - total.0 / 2, total.1 - total.1 / 2]
        default:
            let padding = try graph.pair("padding")
            pads = [padding.0, padding.1, padding.0, padding.1]
        }
        var inputs = [graph.input, graph.parameter("weight")]
        if graph.arguments.boolean("bias") == true { inputs.append(graph.parameter("bias")) }
        graph.node("Conv", inputs, [
            ("kernel_shape", .integers([kernel.0, kernel.1])), ("strides", .integers([stride.0, stride.1])),
            ("pads", .integers(pads)), ("dilations", .integers([dilation.0, dilation.1])),
            ("group", .integer(graph.arguments.integer("groups") ?? 1)),
        ])
    }
}
