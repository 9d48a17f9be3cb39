import NN
import NNSpec
import NNTensor

/// Layers that keep the shape and have no parameters: activations, Dropout, Identity. Each entry
/// states its arguments and how it makes its module.
struct ElementwiseDefinition: ExportableLayer {
    /// The module of one resolved entry; Dropout draws its generator.
    typealias Make = @Sendable (BuildArguments, inout RandomGenerator) throws(BuildError) -> Module
    /// The ONNX nodes of one resolved entry (`ONNXExportableLayer`).
    typealias ONNXNodes = @Sendable (inout ONNXLayerBuilder) throws(BuildError) -> Void

    let typeName: String
    let summary: String
    let arguments: [ArgumentSpec]
    let shapeRule = "[N, *] → the same"
    /// Reports argument values that each argument's kind allows but the layer cannot use (Softplus's beta 0).
    let checkArguments: @Sendable (inout ShapeCheck) -> Void
    let make: Make
    let onnxNodes: ONNXNodes

    init(_ typeName: String, _ summary: String, _ arguments: [ArgumentSpec],
         checkArguments: @escaping @Sendable (inout ShapeCheck) -> Void = { _ in }, onnx: @escaping ONNXNodes, make: @escaping Make) {
        self.typeName = typeName
        self.summary = summary
        self.arguments = arguments
        self.checkArguments = checkArguments
        self.onnxNodes = onnx
        self.make = make
    }

    /// One ONNX operator applied to the input, with `attributes` read from the arguments.
    private static func onnxOperator(_ operatorType: String, _ attributes: @escaping @Sendable (Arguments) -> [(String, ONNXAttribute)] = { _ in [] }) -> ONNXNodes {
        { graph in graph.node(operatorType, [graph.input], attributes(graph.arguments)) }
    }

    /// The real argument `name` as an ONNX float attribute.
    private static func real(_ name: String) -> @Sendable (Arguments) -> [(String, ONNXAttribute)] {
        { [(name == "negative_slope" ? "alpha" : name, .float(Float($0.real(name) ?? 0)))] }
    }

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        checkArguments(&check)
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        try make(arguments, &generator)
    }

    private static let inplace = ArgumentSpec(
        "inplace", .boolean, default: .boolean(false), "overwrite the input (accepted; nnspec computes the same values without it)")

    static let all = [
        ElementwiseDefinition("ReLU", "max(0, x).", [inplace], onnx: onnxOperator("Relu")) { (arguments, _) throws(BuildError) in
            ReLU(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition(
            "LeakyReLU", "x if x ≥ 0, else negative_slope·x.",
            [ArgumentSpec("negative_slope", .real(.any), default: .real(0.01), "slope for x < 0"), inplace],
            onnx: onnxOperator("LeakyRelu", real("negative_slope"))
        ) { (arguments, _) throws(BuildError) in
            LeakyReLU(negativeSlope: try arguments.real("negative_slope"), inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition(
            "ELU", "x if x > 0, else alpha·(eˣ − 1).",
            [ArgumentSpec("alpha", .real(.any), default: .real(1.0), "scale for x ≤ 0"), inplace],
            onnx: onnxOperator("Elu", real("alpha"))
        ) { (arguments, _) throws(BuildError) in
            ELU(alpha: try arguments.real("alpha"), inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition(
            "GELU", "x·Φ(x), exactly or with the tanh approximation.",
            [ArgumentSpec("approximate", .choice(["none", "tanh"]), default: .text("none"), "'none' (erf) or 'tanh'")],
            onnx: gelu
        ) { (arguments, _) throws(BuildError) in
            let approximate = try arguments.text("approximate")
            return try arguments.construct { () throws(NNError) in try GELU(approximate: approximate) }
        },
        ElementwiseDefinition("ReLU6", "min(max(0, x), 6).", [inplace], onnx: { graph in
            graph.node("Clip", [graph.input, graph.constant("min", floats: [0]), graph.constant("max", floats: [6])])
        }) { (arguments, _) throws(BuildError) in
            ReLU6(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition("SiLU", "x·σ(x) = x/(1 + e⁻ˣ).", [inplace], onnx: { graph in
            graph.node("Mul", [graph.input, graph.node("Sigmoid", [graph.input], to: "sigmoid")])
        }) { (arguments, _) throws(BuildError) in
            SiLU(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition("Hardswish", "0 if x ≤ −3, x if x ≥ 3, else x·(x + 3)/6.", [inplace], onnx: onnxOperator("HardSwish")) { (arguments, _) throws(BuildError) in
            Hardswish(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition(
            "Softplus", "log(1 + e^(beta·x))/beta, and x where beta·x > threshold.",
            [ArgumentSpec("beta", .real(.any), default: .real(1.0), "scale of x inside the logarithm; not 0"),
             ArgumentSpec("threshold", .real(.any), default: .real(20.0),
                          "where beta·x exceeds it the output is x; e^(beta·x) overflows above 88.7 (∞ there, as PyTorch)")],
            checkArguments: { check in
                // PyTorch computes in float32: a beta that rounds to 0 or ∞ makes every output ∞ or NaN.
                guard let beta = check.arguments.real("beta"), Float(beta) == 0 || !Float(beta).isFinite else { return }
                check.error("\(check.layerLabel) beta \(beta) would make every output infinite or NaN in float32",
                            argument: "beta", hint: "write a beta such as 1.0 (beta·x is the logarithm's exponent)")
            },
            onnx: softplus
        ) { (arguments, _) throws(BuildError) in
            Softplus(beta: try arguments.real("beta"), threshold: try arguments.real("threshold"))
        },
        ElementwiseDefinition("Mish", "x·tanh(log(1 + eˣ)).", [inplace], onnx: { graph in
            // ONNX's Mish is opset 18; at 17 it is x·tanh(softplus(x)).
            let softplus = graph.node("Softplus", [graph.input], to: "softplus")
            graph.node("Mul", [graph.input, graph.node("Tanh", [softplus], to: "tanh")])
        }) { (arguments, _) throws(BuildError) in
            Mish(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition("Sigmoid", "1/(1 + e⁻ˣ).", [], onnx: onnxOperator("Sigmoid")) { (_, _) throws(BuildError) in Sigmoid() },
        ElementwiseDefinition("Tanh", "tanh(x).", [], onnx: onnxOperator("Tanh")) { (_, _) throws(BuildError) in Tanh() },
        ElementwiseDefinition(
            "Dropout", "Zeroes elements with probability p while training, scaling the rest by 1/(1−p).",
            [ArgumentSpec("p", .real(.closedUnit), default: .real(0.5), "probability of zeroing"), inplace],
            onnx: onnxOperator("Identity")  // evaluation mode: dropout passes its input through
        ) { (arguments, generator) throws(BuildError) in
            let (probability, inplace) = (try arguments.real("p"), try arguments.boolean("inplace"))
            return try arguments.construct { () throws(NNError) in try Dropout(p: probability, inplace: inplace, generator: &generator) }
        },
        ElementwiseDefinition("Identity", "Returns its input.", [], onnx: onnxOperator("Identity")) { (_, _) throws(BuildError) in Identity() },
    ]
}

extension ElementwiseDefinition: ONNXExportableLayer {
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) { try onnxNodes(&graph) }

    /// GELU (ONNX's Gelu is opset 20): 0.5·x·(1 + erf(x/√2)), or with approximate 'tanh'
    /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as PyTorch computes it.
    private static let gelu: ONNXNodes = { graph in
        let x = graph.input
        let inner: String
        if graph.arguments.text("approximate") == "tanh" {
            let cube = graph.node("Mul", [graph.node("Mul", [x, x], to: "square"), x], to: "cube")
            let scaled = graph.node("Mul", [cube, graph.constant("c", floats: [0.044715])], to: "scaled_cube")
            let sum = graph.node("Add", [x, scaled], to: "polynomial")
            let argument = graph.node("Mul", [sum, graph.constant("k", floats: [Float((2 / Double.pi).squareRoot())])], to: "tanh_argument")
            inner = graph.node("Tanh", [argument], to: "tanh")
        } else {
            inner = graph.node("Erf", [graph.node("Div", [x, graph.constant("sqrt2", floats: [Float(2.0.squareRoot())])], to: "scaled")], to: "erf")
        }
        let onePlus = graph.node("Add", [inner, graph.constant("one", floats: [1])], to: "one_plus")
        let half = graph.node("Mul", [x, graph.constant("half", floats: [0.5])], to: "half_x")
        graph.node("Mul", [half, onePlus])
    }

    /// Softplus with beta and threshold: x where beta·x > threshold, else log(1 + e^(beta·x))/beta.
    private static let softplus: ONNXNodes = { graph in
        let x = graph.input
        let beta = graph.constant("beta", floats: [Float(graph.arguments.real("beta") ?? 1)])
        let scaled = graph.node("Mul", [x, beta], to: "scaled")
        let smooth = graph.node("Div", [graph.node("Softplus", [scaled], to: "softplus"), beta], to: "smooth")
        let linear = graph.node("Greater", [scaled, graph.constant("threshold", floats: [Float(graph.arguments.real("threshold") ?? 20)])], to: "linear")
        graph.node("Where", [linear, x, smooth])
    }
}

extension SoftmaxDefinition: ONNXExportableLayer {
    /// Softmax or LogSoftmax (ONNX's names are PyTorch's) along dim; dim None as PyTorch picks it.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let rank = graph.layer.inputShapes[0].rank
        let dim = graph.arguments.integer("dim") ?? ([0, 1, 3].contains(rank) ? 0 : 1)
        graph.node(typeName, [graph.input], [("axis", .integer(dim))])
    }
}

/// `nn.Softmax(dim)` and `nn.LogSoftmax(dim)`: normalise along one dimension.
struct SoftmaxDefinition: ExportableLayer {
    let typeName: String
    let summary: String
    let arguments = [
        ArgumentSpec("dim", .integer(.any), default: ArgumentValue.none, "the dimension that sums to 1 (None: PyTorch's implicit choice)")
    ]
    let shapeRule = "[N, *] → the same"
    /// The module for `dim` (nil: PyTorch's implicit choice).
    let make: @Sendable (Int?) -> Module

    static let softmax = SoftmaxDefinition(typeName: "Softmax", summary: "eˣ / Σ eˣ along dim.") { Softmax(dim: $0) }
    static let logSoftmax = SoftmaxDefinition(typeName: "LogSoftmax", summary: "log(eˣ / Σ eˣ) along dim.") { LogSoftmax(dim: $0) }

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        let rank = check.input.rank
        if check.arguments["dim"] == ArgumentValue.none {
            // PyTorch's _get_softmax_dim: dim 0 for 0-, 1- and 3-D inputs, else 1 (with a warning).
            // dim stays None, so the built module prints `dim=None` and picks the same dim itself.
            let implicit = [0, 1, 3].contains(rank) ? 0 : 1
            check.warning(
                "\(check.layerLabel) has no dim; PyTorch picks dim \(implicit) for a \(rank)-D input (deprecated)",
                hint: "write `dim: 1` (the classes of [N, C])")
        } else if check.resolveDimension("dim", rank: rank) == nil {
            return nil
        }
        return InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        make(try arguments.optionalInteger("dim"))
    }
}
