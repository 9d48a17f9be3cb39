import NN
import NNSpec
import NNTensor

/// `nn.Conv1d`: a 1-D convolution over [N, C, L].
struct Conv1dDefinition: ExportableLayer {
    let typeName = "Conv1d"
    let summary = "1-D convolution: out_channels filters of in_channels/groups × kernel_size."
    let arguments = [
        ArgumentSpec("in_channels", .integerOrAuto(.positive), "channels of the input (auto: the incoming C)"),
        ArgumentSpec("out_channels", .integer(.positive), "channels produced"),
        ArgumentSpec("kernel_size", .integer(.positive), "filter length"),
        ArgumentSpec("stride", .integer(.positive), default: .integer(1), "step of the window"),
        ArgumentSpec("padding", .padding, default: .integer(0), "zeros added on each side (one size); 'same' keeps L (stride 1)"),
        ArgumentSpec("dilation", .integer(.positive), default: .integer(1), "spacing between kernel elements"),
        ArgumentSpec("groups", .integer(.positive), default: .integer(1), "blocked connections; divides both channel counts"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn an additive bias"),
        ArgumentSpec("padding_mode", .choice(["zeros"]), default: .text("zeros"), "padding values (only 'zeros')"),
    ]
    let shapeRule = """
        [N, in_channels, L] → [N, out_channels, OL], \
        OL = ⌊(L + 2·padding − dilation·(kernel_size − 1) − 1)/stride⌋ + 1
        """

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([3], layout: "[N, C, L]") else { return nil }
        let inChannels = check.infer("in_channels", from: 0)
        guard let outChannels = check.arguments.integer("out_channels"), let kernel = check.arguments.integer("kernel_size"),
            let stride = check.arguments.integer("stride"), let dilation = check.arguments.integer("dilation")
        else { return nil }
        ConvolutionRules.checkGroups(&check, inChannels: inChannels, outChannels: outChannels)
        guard let window = outputLength(&check, kernel: kernel, stride: stride, dilation: dilation) else { return nil }
        return InferredShape(check.input.withSample([outChannels, window.length]), derivations: window.derivations)
    }

    /// The output length: 'valid' is padding 0; 'same' keeps L (stride 1 only, as PyTorch).
    private func outputLength(
        _ check: inout ShapeCheck, kernel: Int, stride: Int, dilation: Int
    ) -> (length: Int, derivations: [Int: String])? {
        switch check.arguments["padding"] {
        case .text("valid")?:
            return check.windowOutput(kernel: kernel, stride: stride, padding: 0, dilation: dilation)
        case .text("same")?:
            guard ConvolutionRules.sameAllowed(&check, strideIsOne: stride == 1, strideText: "\(stride)") else { return nil }
            return (check.sample[1], check.flows[0].derivations.filter { $0.key == 1 })
        case .integer(let padding)?:
            return check.windowOutput(kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        case let written?:
            check.error("\(check.layerLabel) padding \(written) is not one size: a 1-D convolution pads L only", argument: "padding",
                        hint: "write one size, e.g. `padding: 1`, or 'same' / 'valid'")
            return nil
        case nil:
            return nil
        }
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let inChannels = arguments.integer("in_channels"), let outChannels = arguments.integer("out_channels"),
            let kernel = arguments.integer("kernel_size")
        else { return [] }
        return ConvolutionRules.parameters(arguments, weightChannels: (outChannels, inChannels), kernel: [kernel], biasCount: outChannels)
    }

    func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let inChannels = arguments.integer("in_channels"), let kernel = arguments.integer("kernel_size"),
            let groups = arguments.integer("groups")
        else { return 0 }
        return saturatingProduct(output.sampleSizes + [inChannels / groups, kernel])
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        try arguments.require("padding_mode", is: .text("zeros"))
        let (inChannels, outChannels) = (try arguments.integer("in_channels"), try arguments.integer("out_channels"))
        let (kernelSize, stride) = (try arguments.integer("kernel_size"), try arguments.integer("stride"))
        let (padding, dilation) = (try arguments.convolutionPadding("padding"), try arguments.integer("dilation"))
        let (groups, bias) = (try arguments.integer("groups"), try arguments.boolean("bias"))
        return try arguments.construct { () throws(NNError) in
            try Conv1d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
                       padding: padding, dilation: dilation, groups: groups, bias: bias, generator: &generator)
        }
    }
}

extension Conv1dDefinition: ONNXExportableLayer {
    /// Conv over L; `padding: same` pads dilation·(kernel − 1), the odd one after, as PyTorch.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let kernel = graph.arguments.integer("kernel_size") ?? 1, dilation = graph.arguments.integer("dilation") ?? 1
        let pads: [Int]
        switch graph.arguments["padding"] {
        case .text("same")?:
            let total = dilation * (kernel - 1)
            pads = [total / 2, total - total / 2]
        case .integer(let padding)?: pads = [padding, padding]
        default: pads = [0, 0]
        }
        var inputs = [graph.input, graph.parameter("weight")]
        if graph.arguments.boolean("bias") == true { inputs.append(graph.parameter("bias")) }
        graph.node("Conv", inputs, [
            ("kernel_shape", .integers([kernel])), ("strides", .integers([graph.arguments.integer("stride") ?? 1])),
            ("pads", .integers(pads)), ("dilations", .integers([dilation])), ("group", .integer(graph.arguments.integer("groups") ?? 1)),
        ])
    }
}
