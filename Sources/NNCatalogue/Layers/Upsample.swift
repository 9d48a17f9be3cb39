import NN
import NNSpec
import NNTensor

/// `nn.Upsample`: resamples [N, C, H, W] to a size or by a scale factor.
struct UpsampleDefinition: ExportableLayer {
    let typeName = "Upsample"
    let summary = "Resamples each image to size, or by scale_factor, with nearest or bilinear interpolation."
    let arguments = [
        ArgumentSpec("size", .integerPair(.positive), default: ArgumentValue.none, "output height and width (or scale_factor)"),
        ArgumentSpec("scale_factor", .real(.positive), default: ArgumentValue.none, "multiplier of H and W, output ⌊H·scale_factor⌋ (or size)"),
        ArgumentSpec("mode", .choice(["nearest", "bilinear"]), default: .text("nearest"), "interpolation"),
        ArgumentSpec(
            "align_corners", .boolean, default: ArgumentValue.none,
            "bilinear only: align the corner pixels' centres (None: false)"),
        ArgumentSpec(
            "recompute_scale_factor", .boolean, default: ArgumentValue.none,
            "with scale_factor: map positions by the output/input sizes instead of the factor"),
    ]
    let shapeRule = "[N, C, H, W] → [N, C, size] or [N, C, ⌊H·scale_factor⌋, ⌊W·scale_factor⌋]"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard check.requireRank([4], layout: "[N, C, H, W]") else { return nil }
        if check.arguments.text("mode") == "nearest", check.arguments["align_corners"] != ArgumentValue.none {
            check.error(
                "\(check.layerLabel) align_corners can only be set with mode 'bilinear'", argument: "align_corners",
                hint: "remove align_corners, or write `mode: bilinear`")
        }
        let size = check.arguments.pair("size"), scale = check.arguments.real("scale_factor")
        if size != nil, check.arguments.boolean("recompute_scale_factor") == true {
            check.error("\(check.layerLabel) recompute_scale_factor is not meaningful with an explicit size", argument: "recompute_scale_factor")
        }
        switch (size, scale) {
        case (let size?, nil):
            return InferredShape(check.input.withSample([check.sample[0], size.0, size.1]))
        case (nil, let scale?):
            let (scaledHeight, scaledWidth) = ((Double(check.sample[1]) * scale).rounded(.down), (Double(check.sample[2]) * scale).rounded(.down))
            // Beyond 2^53 a size is no longer exact (and beyond Int.max not an Int): far past any memory.
            guard scaledHeight <= 0x1p53, scaledWidth <= 0x1p53 else {
                check.error(
                    "\(check.layerLabel) scale_factor \(scale) makes the input \(check.sample[1])×\(check.sample[2]) \(check.source()) larger than any memory",
                    argument: "scale_factor")
                return nil
            }
            let (height, width) = (Int(scaledHeight), Int(scaledWidth))
            guard height >= 1, width >= 1 else {
                check.error(
                    "\(check.layerLabel) scale_factor \(scale) makes the input \(check.sample[1])×\(check.sample[2]) \(check.source()) empty: \(height)×\(width)",
                    argument: "scale_factor")
                return nil
            }
            return InferredShape(check.input.withSample([check.sample[0], height, width]),
                                 derivations: [1: "⌊\(check.sample[1])×\(scale)⌋", 2: "⌊\(check.sample[2])×\(scale)⌋"])
        case (_?, _?):
            check.error("\(check.layerLabel) takes size or scale_factor, not both", argument: "scale_factor")
            return nil
        case (nil, nil):
            check.error("\(check.layerLabel) needs size or scale_factor", hint: "write e.g. `scale_factor: 2`")
            return nil
        }
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let (size, scale) = (try arguments.optionalSize("size"), try arguments.optionalReal("scale_factor"))
        guard let mode = Upsample.Mode(rawValue: try arguments.text("mode")) else { throw arguments.failure("mode is not nearest or bilinear") }
        let (alignCorners, recompute) = (try arguments.optionalBoolean("align_corners"), try arguments.optionalBoolean("recompute_scale_factor"))
        return try arguments.construct { () throws(NNError) in
            try Upsample(size: size, scaleFactor: scale, mode: mode, alignCorners: alignCorners, recomputeScaleFactor: recompute)
        }
    }
}

extension UpsampleDefinition: ONNXExportableLayer {
    /// Resize with scales [1, 1, sH, sW]: scale_factor itself (PyTorch maps positions by 1/scale_factor),
    /// else output/input (size, or recompute_scale_factor). nearest: asymmetric coordinates, floor;
    /// bilinear: align_corners or pytorch_half_pixel.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let input = graph.layer.inputShapes[0].sampleSizes, output = graph.layer.output.sampleSizes
        let scales: [Float]
        if let factor = graph.arguments.real("scale_factor"), graph.arguments.boolean("recompute_scale_factor") != true {
            scales = [1, 1, Float(factor), Float(factor)]
        } else {
            scales = [1, 1] + [2, 1].map { fromEnd in Float(output[output.count - fromEnd]) / Float(input[input.count - fromEnd]) }
        }
        let attributes: [(String, ONNXAttribute)] = graph.arguments.text("mode") == "bilinear"
            ? [("mode", .text("linear")),
               ("coordinate_transformation_mode", .text(graph.arguments.boolean("align_corners") == true ? "align_corners" : "pytorch_half_pixel"))]
            : [("mode", .text("nearest")), ("coordinate_transformation_mode", .text("asymmetric")), ("nearest_mode", .text("floor"))]
        graph.node("Resize", [graph.input, "", graph.constant("scales", floats: scales, shape: [4])], attributes)
    }
}
