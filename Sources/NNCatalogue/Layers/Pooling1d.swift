import NN
import NNSpec
import NNTensor

/// `nn.MaxPool1d`: the maximum of each window over [N, C, L].
struct MaxPool1dDefinition: ExportableLayer {
    let typeName = "MaxPool1d"
    let summary = "Maximum over each kernel_size window along L."
    let arguments = [
        ArgumentSpec("kernel_size", .integer(.positive), "window length"),
        ArgumentSpec("stride", .integer(.positive), default: ArgumentValue.none, "step of the window (None: kernel_size)"),
        ArgumentSpec("padding", .integer(.nonNegative), default: .integer(0), "implicit −∞ on each side, at most kernel_size/2"),
        ArgumentSpec("dilation", .integer(.positive), default: .integer(1), "spacing between window elements"),
        ArgumentSpec("return_indices", .boolean, default: .boolean(false), "also return the argmax (not usable in a layer list)"),
        ArgumentSpec("ceil_mode", .boolean, default: .boolean(false), "round the output size up"),
    ]
    let shapeRule = "[N, C, L] → [N, C, OL], OL = ⌊(L + 2·padding − dilation·(kernel_size − 1) − 1)/stride⌋ + 1"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        if check.arguments.boolean("return_indices") == true {
            check.error(
                "\(check.layerLabel) return_indices: true returns a pair, which the next layer cannot take",
                argument: "return_indices")
        }
        guard let dilation = check.arguments.integer("dilation") else { return nil }
        return poolingOutput1d(&check, dilation: dilation)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        try arguments.require("return_indices", is: .boolean(false))
        let (kernelSize, stride) = (try arguments.integer("kernel_size"), try arguments.optionalInteger("stride"))
        let (padding, dilation) = (try arguments.integer("padding"), try arguments.integer("dilation"))
        let ceilMode = try arguments.boolean("ceil_mode")
        return try arguments.construct { () throws(NNError) in
            try MaxPool1d(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        }
    }
}

/// `nn.AvgPool1d`: the mean of each window over [N, C, L].
struct AvgPool1dDefinition: ExportableLayer {
    let typeName = "AvgPool1d"
    let summary = "Mean over each kernel_size window along L."
    let arguments = [
        ArgumentSpec("kernel_size", .integer(.positive), "window length"),
        ArgumentSpec("stride", .integer(.positive), default: ArgumentValue.none, "step of the window (None: kernel_size)"),
        ArgumentSpec("padding", .integer(.nonNegative), default: .integer(0), "zeros on each side, at most kernel_size/2"),
        ArgumentSpec("ceil_mode", .boolean, default: .boolean(false), "round the output size up"),
        ArgumentSpec("count_include_pad", .boolean, default: .boolean(true), "count padding zeros in the mean"),
    ]
    let shapeRule = "[N, C, L] → [N, C, OL], OL = ⌊(L + 2·padding − kernel_size)/stride⌋ + 1"

    func output(_ check: inout ShapeCheck) -> InferredShape? { poolingOutput1d(&check, dilation: 1) }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (kernelSize, stride) = (try arguments.integer("kernel_size"), try arguments.optionalInteger("stride"))
        let (padding, ceilMode) = (try arguments.integer("padding"), try arguments.boolean("ceil_mode"))
        let countIncludePad = try arguments.boolean("count_include_pad")
        return try arguments.construct { () throws(NNError) in
            try AvgPool1d(kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)
        }
    }
}

/// The shared rule of MaxPool1d and AvgPool1d: stride defaults to kernel_size (and is resolved to
/// it), padding at most half the kernel, output by `WindowArithmetic`.
private func poolingOutput1d(_ check: inout ShapeCheck, dilation: Int) -> InferredShape? {
    guard check.requireRank([3], layout: "[N, C, L]"), let kernel = check.arguments.integer("kernel_size"),
        let padding = check.arguments.integer("padding")
    else { return nil }
    if check.arguments["stride"] == ArgumentValue.none { check.arguments.set("stride", .integer(kernel)) }
    guard let stride = check.arguments.integer("stride") else { return nil }
    guard padding <= kernel / 2 else {
        check.error("\(check.layerLabel) padding \(padding) must be at most half of kernel_size \(kernel)", argument: "padding")
        return nil
    }
    guard
        let window = check.windowOutput(
            kernel: kernel, stride: stride, padding: padding, dilation: dilation, ceilMode: check.arguments.boolean("ceil_mode") == true)
    else { return nil }
    return InferredShape(check.input.withSample([check.sample[0], window.length]), derivations: window.derivations)
}

/// `nn.AdaptiveAvgPool1d(output_size)`: averages [N, C, L] down to a fixed [N, C, output_size].
struct AdaptiveAvgPool1dDefinition: ExportableLayer {
    let typeName = "AdaptiveAvgPool1d"
    let summary = "Mean over windows chosen so that the output length is output_size, whatever the input length."
    let arguments = [ArgumentSpec("output_size", .integer(.positive), "output length")]
    let shapeRule = "[N, C, L] → [N, C, output_size]"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([3], layout: "[N, C, L]"), let size = check.arguments.integer("output_size") else { return nil }
        return InferredShape(check.input.withSample([check.sample[0], size]))
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let outputSize = try arguments.integer("output_size")
        return try arguments.construct { () throws(NNError) in try AdaptiveAvgPool1d(outputSize: outputSize) }
    }
}

extension MaxPool1dDefinition: ONNXExportableLayer {
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        graph.node("MaxPool", [graph.input], onedimensionalWindow(graph) + [("dilations", .integers([graph.arguments.integer("dilation") ?? 1]))])
    }
}

extension AvgPool1dDefinition: ONNXExportableLayer {
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let countPadding = graph.arguments.boolean("count_include_pad") == true ? 1 : 0
        graph.node("AveragePool", [graph.input], onedimensionalWindow(graph) + [("count_include_pad", .integer(countPadding))])
    }
}

extension AdaptiveAvgPool1dDefinition: ONNXExportableLayer {
    /// GlobalAveragePool for output 1; AveragePool when the output size divides L (equal windows);
    /// other sizes are refused (PyTorch's windows then overlap unevenly).
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let output = graph.arguments.integer("output_size") ?? 1
        let length = graph.layer.inputShapes[0].sampleSizes.last ?? 1
        if output == 1 {
            graph.node("GlobalAveragePool", [graph.input])
            return
        }
        guard length % output == 0 else {
            throw graph.refuse("output_size \(output) does not divide the input's length \(length), so its windows are uneven")
        }
        graph.node("AveragePool", [graph.input], [("kernel_shape", .integers([length / output])), ("strides", .integers([length / output]))])
    }
}

/// The window attributes of ONNX's pooling operators over L: kernel_shape, strides (None: the kernel), pads, ceil_mode.
private func onedimensionalWindow(_ graph: ONNXLayerBuilder) -> [(String, ONNXAttribute)] {
    let kernel = graph.arguments.integer("kernel_size") ?? 1, padding = graph.arguments.integer("padding") ?? 0
    return [("kernel_shape", .integers([kernel])), ("strides", .integers([graph.arguments.integer("stride") ?? kernel])),
            ("pads", .integers([padding, padding])), ("ceil_mode", .integer(graph.arguments.boolean("ceil_mode") == true ? 1 : 0))]
}
