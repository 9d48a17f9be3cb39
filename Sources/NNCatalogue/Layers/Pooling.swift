import NN
import NNSpec
import NNTensor

/// `nn.MaxPool2d`: the maximum of each window over [N, C, H, W].
struct MaxPool2dDefinition: ExportableLayer {
    let typeName = "MaxPool2d"
    let summary = "Maximum over each kernel_size window."
    let arguments = [
        ArgumentSpec("kernel_size", .integerPair(.positive), "window height and width"),
        ArgumentSpec("stride", .integerPair(.positive), default: ArgumentValue.none, "step of the window (None: kernel_size)"),
        ArgumentSpec("padding", .integerPair(.nonNegative), default: .integer(0), "implicit −∞ on each side, at most kernel_size/2"),
        ArgumentSpec("dilation", .integerPair(.positive), default: .integer(1), "spacing between window elements"),
        ArgumentSpec("return_indices", .boolean, default: .boolean(false), "also return the argmax (not usable in a layer list)"),
        ArgumentSpec("ceil_mode", .boolean, default: .boolean(false), "round the output size up"),
    ]
    let shapeRule = "[N, C, H, W] → [N, C, OH, OW], OH = ⌊(H + 2·padding − dilation·(kernel_size − 1) − 1)/stride⌋ + 1"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        if check.arguments.boolean("return_indices") == true {
            check.error(
                "\(check.layerLabel) return_indices: true returns a pair, which the next layer cannot take",
                argument: "return_indices")
        }
        guard let dilation = check.arguments.pair("dilation") else { return nil }
        return poolingOutput(&check, dilation: dilation)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        try arguments.require("return_indices", is: .boolean(false))
        let (kernelSize, stride) = (try arguments.size("kernel_size"), try arguments.optionalSize("stride"))
        let (padding, dilation) = (try arguments.size("padding"), try arguments.size("dilation"))
        let ceilMode = try arguments.boolean("ceil_mode")
        return try arguments.construct { () throws(NNError) in
            try MaxPool2d(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        }
    }
}

/// `nn.AvgPool2d`: the mean of each window over [N, C, H, W].
struct AvgPool2dDefinition: ExportableLayer {
    let typeName = "AvgPool2d"
    let summary = "Mean over each kernel_size window."
    let arguments = [
        ArgumentSpec("kernel_size", .integerPair(.positive), "window height and width"),
        ArgumentSpec("stride", .integerPair(.positive), default: ArgumentValue.none, "step of the window (None: kernel_size)"),
        ArgumentSpec("padding", .integerPair(.nonNegative), default: .integer(0), "zeros on each side, at most kernel_size/2"),
        ArgumentSpec("ceil_mode", .boolean, default: .boolean(false), "round the output size up"),
        ArgumentSpec("count_include_pad", .boolean, default: .boolean(true), "count padding zeros in the mean"),
        ArgumentSpec(
            "divisor_override", .integer(.positive), default: ArgumentValue.none,
            "divide by this instead of the window size (only None: NN's AvgPool2d has no override)"),
    ]
    let shapeRule = "[N, C, H, W] → [N, C, OH, OW], OH = ⌊(H + 2·padding − kernel_size)/stride⌋ + 1"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        if let divisor = check.arguments.integer("divisor_override") {
            check.error(
                "\(check.layerLabel) divisor_override \(divisor) is not supported: nnspec's AvgPool2d divides by the window size",
                argument: "divisor_override", hint: "remove divisor_override, or scale the next layer")
        }
        return poolingOutput(&check, dilation: (1, 1))
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        try arguments.require("divisor_override", is: .none)
        let (kernelSize, stride) = (try arguments.size("kernel_size"), try arguments.optionalSize("stride"))
        let (padding, ceilMode) = (try arguments.size("padding"), try arguments.boolean("ceil_mode"))
        let countIncludePad = try arguments.boolean("count_include_pad")
        return try arguments.construct { () throws(NNError) in
            try AvgPool2d(kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                          countIncludePad: countIncludePad)
        }
    }
}

/// The shared rule of MaxPool2d and AvgPool2d: stride defaults to kernel_size (and is resolved to
/// it), padding at most half the kernel, output by `WindowArithmetic`.
private func poolingOutput(_ check: inout ShapeCheck, dilation: (Int, Int)) -> InferredShape? {
    guard check.requireRank([4], layout: "[N, C, H, W]"), let kernel = check.arguments.pair("kernel_size"),
        let padding = check.arguments.pair("padding")
    else { return nil }
    if check.arguments["stride"] == ArgumentValue.none, let written = check.arguments["kernel_size"] {
        check.arguments.set("stride", written)
    }
    guard let stride = check.arguments.pair("stride") else { return nil }
    guard padding.0 <= kernel.0 / 2, padding.1 <= kernel.1 / 2 else {
        check.error(
            "\(check.layerLabel) padding \(padding.0)×\(padding.1) must be at most half of kernel_size \(kernel.0)×\(kernel.1)",
            argument: "padding")
        return nil
    }
    guard
        let window = check.windowOutput(
            kernel: kernel, stride: stride, padding: padding, dilation: dilation,
            ceilMode: check.arguments.boolean("ceil_mode") == true)
    else { return nil }
    return InferredShape(check.input.withSample([check.sample[0], window.height, window.width]), derivations: window.derivations)
}

/// `nn.AdaptiveAvgPool2d(output_size)`: averages [N, C, H, W] down to a fixed [N, C, oh, ow].
struct AdaptiveAvgPool2dDefinition: ExportableLayer {
    let typeName = "AdaptiveAvgPool2d"
    let summary = "Mean over windows chosen so that the output is output_size, whatever the input size."
    let arguments = [ArgumentSpec("output_size", .integerPair(.positive), "output height and width")]
    let shapeRule = "[N, C, H, W] → [N, C, output_size[0], output_size[1]]"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([4], layout: "[N, C, H, W]"), let size = check.arguments.pair("output_size") else {
            return nil
        }
        return InferredShape(check.input.withSample([check.sample[0], size.0, size.1]))
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let outputSize = try arguments.size("output_size")
        return try arguments.construct { () throws(NNError) in try AdaptiveAvgPool2d(outputSize: outputSize) }
    }
}

/// The window attributes of ONNX's pooling operators: kernel_shape, strides, pads.
private func windowAttributes(_ graph: ONNXLayerBuilder) throws(BuildError) -> [(String, ONNXAttribute)] {
    let (kernel, stride, padding) = (try graph.pair("kernel_size"), try graph.pair("stride"), try graph.pair("padding"))
    return [("kernel_shape", .integers([kernel.0, kernel.1])), ("strides", .integers([stride.0, stride.1])),
            ("pads", .integers([padding.0, padding.1, padding.0, padding.1])),
            ("ceil_mode", .integer(graph.arguments.boolean("ceil_mode") == true ? 1 : 0))]
}

extension MaxPool2dDefinition: ONNXExportableLayer {
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let dilation = try graph.pair("dilation")
        graph.node("MaxPool", [graph.input], try windowAttributes(graph) + [("dilations", .integers([dilation.0, dilation.1]))])
    }
}

extension AvgPool2dDefinition: ONNXExportableLayer {
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let countPadding = graph.arguments.boolean("count_include_pad") == true ? 1 : 0
        graph.node("AveragePool", [graph.input], try windowAttributes(graph) + [("count_include_pad", .integer(countPadding))])
    }
}

extension AdaptiveAvgPool2dDefinition: ONNXExportableLayer {
    /// GlobalAveragePool for output 1×1; AveragePool when the output size divides the input's (equal
    /// windows); other sizes are refused (PyTorch's windows then overlap unevenly).
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let output = try graph.pair("output_size")
        let sample = graph.layer.inputShapes[0].sampleSizes
        if output == (1, 1) {
            graph.node("GlobalAveragePool", [graph.input])
            return
        }
        let (height, width) = (sample[sample.count - 2], sample[sample.count - 1])
        guard height % output.0 == 0, width % output.1 == 0 else {
            throw graph.refuse("output_size \(output.0)×\(output.1) does not divide the input's \(height)×\(width), so its windows are uneven")
        }
        let kernel = [height / output.0, width / output.1]
        graph.node("AveragePool", [graph.input], [("kernel_shape", .integers(kernel)), ("strides", .integers(kernel))])
    }
}
