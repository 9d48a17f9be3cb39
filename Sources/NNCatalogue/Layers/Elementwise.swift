import NN
import NNSpec
import NNTensor

/// Layers that keep the shape and have no parameters: activations, Dropout, Identity. Each entry
/// states its arguments and how it makes its module.
struct ElementwiseDefinition: ExportableLayer {
    /// The module of one resolved entry; Dropout draws its generator.
    typealias Make = @Sendable (BuildArguments, inout RandomGenerator) throws(BuildError) -> Module

    let typeName: String
    let summary: String
    let arguments: [ArgumentSpec]
    let shapeRule = "[N, *] → the same"
    /// Reports argument values that each argument's kind allows but the layer cannot use (Softplus's beta 0).
    let checkArguments: @Sendable (inout ShapeCheck) -> Void
    let make: Make

    init(_ typeName: String, _ summary: String, _ arguments: [ArgumentSpec],
         checkArguments: @escaping @Sendable (inout ShapeCheck) -> Void = { _ in }, make: @escaping Make) {
        self.typeName = typeName
        self.summary = summary
        self.arguments = arguments
        self.checkArguments = checkArguments
        self.make = make
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
        ElementwiseDefinition("ReLU", "max(0, x).", [inplace]) { (arguments, _) throws(BuildError) in
            ReLU(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition(
            "LeakyReLU", "x if x ≥ 0, else negative_slope·x.",
            [ArgumentSpec("negative_slope", .real(.any), default: .real(0.01), "slope for x < 0"), inplace]
        ) { (arguments, _) throws(BuildError) in
            LeakyReLU(negativeSlope: try arguments.real("negative_slope"), inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition(
            "ELU", "x if x > 0, else alpha·(eˣ − 1).",
            [ArgumentSpec("alpha", .real(.any), default: .real(1.0), "scale for x ≤ 0"), inplace]
        ) { (arguments, _) throws(BuildError) in
            ELU(alpha: try arguments.real("alpha"), inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition(
            "GELU", "x·Φ(x), exactly or with the tanh approximation.",
            [ArgumentSpec("approximate", .choice(["none", "tanh"]), default: .text("none"), "'none' (erf) or 'tanh'")]
        ) { (arguments, _) throws(BuildError) in
            let approximate = try arguments.text("approximate")
            return try arguments.construct { () throws(NNError) in try GELU(approximate: approximate) }
        },
        ElementwiseDefinition("ReLU6", "min(max(0, x), 6).", [inplace]) { (arguments, _) throws(BuildError) in
            ReLU6(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition("SiLU", "x·σ(x) = x/(1 + e⁻ˣ).", [inplace]) { (arguments, _) throws(BuildError) in
            SiLU(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition("Hardswish", "0 if x ≤ −3, x if x ≥ 3, else x·(x + 3)/6.", [inplace]) { (arguments, _) throws(BuildError) in
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
            }
        ) { (arguments, _) throws(BuildError) in
            Softplus(beta: try arguments.real("beta"), threshold: try arguments.real("threshold"))
        },
        ElementwiseDefinition("Mish", "x·tanh(log(1 + eˣ)).", [inplace]) { (arguments, _) throws(BuildError) in
            Mish(inplace: try arguments.boolean("inplace"))
        },
        ElementwiseDefinition("Sigmoid", "1/(1 + e⁻ˣ).", []) { (_, _) throws(BuildError) in Sigmoid() },
        ElementwiseDefinition("Tanh", "tanh(x).", []) { (_, _) throws(BuildError) in Tanh() },
        ElementwiseDefinition(
            "Dropout", "Zeroes elements with probability p while training, scaling the rest by 1/(1−p).",
            [ArgumentSpec("p", .real(.closedUnit), default: .real(0.5), "probability of zeroing"), inplace]
        ) { (arguments, generator) throws(BuildError) in
            let (probability, inplace) = (try arguments.real("p"), try arguments.boolean("inplace"))
            return try arguments.construct { () throws(NNError) in try Dropout(p: probability, inplace: inplace, generator: &generator) }
        },
        ElementwiseDefinition("Identity", "Returns its input.", []) { (_, _) throws(BuildError) in Identity() },
    ]
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
