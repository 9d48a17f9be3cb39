import NN
import NNSpec
import NNTensor

/// `nn.ConvTranspose2d`: a transposed 2-D convolution (up-sampling by stride) over [N, C, H, W].
struct ConvTranspose2dDefinition: ExportableLayer {
    let typeName = "ConvTranspose2d"
    let summary = "Transposed 2-D convolution: each input position adds a kernel_size filter into the output at stride steps."
    let arguments = [
        ArgumentSpec("in_channels", .integerOrAuto(.positive), "channels of the input (auto: the incoming C)"),
        ArgumentSpec("out_channels", .integer(.positive), "channels produced"),
        ArgumentSpec("kernel_size", .integerPair(.positive), "filter height and width"),
        ArgumentSpec("stride", .integerPair(.positive), default: .integer(1), "step between the input positions' filters"),
        ArgumentSpec("padding", .integerPair(.nonNegative), default: .integer(0), "rows and columns removed from each side of the output"),
        ArgumentSpec(
            "output_padding", .integerPair(.nonNegative), default: .integer(0),
            "rows and columns added after; smaller than stride or dilation"),
        ArgumentSpec("groups", .integer(.positive), default: .integer(1), "blocked connections; divides both channel counts"),
        ArgumentSpec("bias", .boolean, default: .boolean(true), "learn an additive bias"),
        ArgumentSpec("dilation", .integerPair(.positive), default: .integer(1), "spacing between kernel elements"),
        ArgumentSpec("padding_mode", .choice(["zeros"]), default: .text("zeros"), "padding values (only 'zeros')"),
    ]
    let shapeRule = """
        [N, in_channels, H, W] → [N, out_channels, OH, OW], \
        OH = (H − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1 (and OW alike)
        """

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([4], layout: "[N, C, H, W]") else { return nil }
        let inChannels = check.infer("in_channels", from: 0)
        guard let outChannels = check.arguments.integer("out_channels"), let kernel = check.arguments.pair("kernel_size"),
            let stride = check.arguments.pair("stride"), let padding = check.arguments.pair("padding"),
            let outputPadding = check.arguments.pair("output_padding"), let dilation = check.arguments.pair("dilation")
        else { return nil }
        ConvolutionRules.checkGroups(&check, inChannels: inChannels, outChannels: outChannels)
        for (extra, step, spacing) in [(outputPadding.0, stride.0, dilation.0), (outputPadding.1, stride.1, dilation.1)]
        where extra >= max(step, spacing) {
            check.error(
                "\(check.layerLabel) output_padding \(extra) must be smaller than either stride \(step) or dilation \(spacing)",
                argument: "output_padding", hint: "output_padding only picks one of the stride's possible output sizes")
            return nil
        }
        let sizes = [0, 1].map { axis in
            TransposedWindow(input: check.sample[axis + 1], kernel: axis == 0 ? kernel.0 : kernel.1, stride: axis == 0 ? stride.0 : stride.1,
                             padding: axis == 0 ? padding.0 : padding.1, outputPadding: axis == 0 ? outputPadding.0 : outputPadding.1,
                             dilation: axis == 0 ? dilation.0 : dilation.1)
        }
        guard sizes.allSatisfy({ $0.output >= 1 }) else {
            check.error(
                "\(check.layerLabel) output \(sizes[0].output)×\(sizes[1].output) = (\(sizes[0].derivation))×(\(sizes[1].derivation)) is empty",
                argument: "padding", hint: "use less padding")
            return nil
        }
        return InferredShape(check.input.withSample([outChannels, sizes[0].output, sizes[1].output]),
                             derivations: [1: sizes[0].derivation, 2: sizes[1].derivation])
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let inChannels = arguments.integer("in_channels"), let outChannels = arguments.integer("out_channels"),
            let kernel = arguments.pair("kernel_size")
        else { return [] }
        return ConvolutionRules.parameters(arguments, weightChannels: (inChannels, outChannels), kernel: [kernel.0, kernel.1],
                                           biasCount: outChannels)
    }

    /// Each input element times out_channels/groups·KH·KW weights.
    func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let outChannels = arguments.integer("out_channels"), let kernel = arguments.pair("kernel_size"),
            let groups = arguments.integer("groups"), let incoming = input.first
        else { return 0 }
        return saturatingProduct(incoming.sampleSizes + [outChannels / groups, kernel.0, kernel.1])
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        try arguments.require("padding_mode", is: .text("zeros"))
        let (inChannels, outChannels) = (try arguments.integer("in_channels"), try arguments.integer("out_channels"))
        let (kernelSize, stride, padding) = (try arguments.size("kernel_size"), try arguments.size("stride"), try arguments.size("padding"))
        let (outputPadding, dilation) = (try arguments.size("output_padding"), try arguments.size("dilation"))
        let (groups, bias) = (try arguments.integer("groups"), try arguments.boolean("bias"))
        return try arguments.construct { () throws(NNError) in
            try ConvTranspose2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
                                padding: padding, outputPadding: outputPadding, groups: groups, bias: bias, dilation: dilation,
                                generator: &generator)
        }
    }
}

/// One dimension of a transposed convolution's output, as PyTorch computes it.
private struct TransposedWindow {
    let input: Int, kernel: Int, stride: Int, padding: Int, outputPadding: Int, dilation: Int

    /// (input − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1.
    var output: Int { (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1 }

    /// The arithmetic as messages show it: "(4−1)×2−2×1+3+1+1", zero terms left out.
    var derivation: String {
        var text = stride == 1 ? "\(input)−1" : "(\(input)−1)×\(stride)"
        if padding > 0 { text += "−2×\(padding)" }
        if dilation * (kernel - 1) > 0 { text += "+\(dilation * (kernel - 1))" }
        if outputPadding > 0 { text += "+\(outputPadding)" }
        return text + "+1"
    }
}

extension ConvTranspose2dDefinition: ONNXExportableLayer {
    /// ConvTranspose: PyTorch's weight [in, out/groups, kH, kW] is ONNX's layout.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let (kernel, stride, padding) = (try graph.pair("kernel_size"), try graph.pair("stride"), try graph.pair("padding"))
        let (outputPadding, dilation) = (try graph.pair("output_padding"), try graph.pair("dilation"))
        var inputs = [graph.input, graph.parameter("weight")]
        if graph.arguments.boolean("bias") == true { inputs.append(graph.parameter("bias")) }
        graph.node("ConvTranspose", inputs, [
            ("kernel_shape", .integers([kernel.0, kernel.1])), ("strides", .integers([stride.0, stride.1])),
            ("pads", .integers([padding.0, padding.1, padding.0, padding.1])),
            ("output_padding", .integers([outputPadding.0, outputPadding.1])), ("dilations", .integers([dilation.0, dilation.1])),
            ("group", .integer(graph.arguments.integer("groups") ?? 1)),
        ])
    }
}
