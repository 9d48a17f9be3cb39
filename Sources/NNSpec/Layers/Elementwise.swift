/// Layers that keep the shape and have no parameters: activations, Dropout, Identity.
struct ElementwiseLayer: LayerDefinition {
    let typeName: String
    let summary: String
    let arguments: [ArgumentSpec]
    let shapeRule = "[N, *] → the same"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        InferredShape(check.input, derivations: check.flows[0].derivations)
    }

    private static let inplace = ArgumentSpec(
        "inplace", .boolean, default: .boolean(false), "overwrite the input (accepted; nnspec computes the same values without it)")

    static let all = [
        ElementwiseLayer(typeName: "ReLU", summary: "max(0, x).", arguments: [inplace]),
        ElementwiseLayer(
            typeName: "LeakyReLU", summary: "x if x ≥ 0, else negative_slope·x.",
            arguments: [
                ArgumentSpec("negative_slope", .real(.any), default: .real(0.01), "slope for x < 0"), inplace,
            ]),
        ElementwiseLayer(
            typeName: "ELU", summary: "x if x > 0, else alpha·(eˣ − 1).",
            arguments: [ArgumentSpec("alpha", .real(.any), default: .real(1.0), "scale for x ≤ 0"), inplace]),
        ElementwiseLayer(
            typeName: "GELU", summary: "x·Φ(x), exactly or with the tanh approximation.",
            arguments: [
                ArgumentSpec("approximate", .choice(["none", "tanh"]), default: .text("none"), "'none' (erf) or 'tanh'")
            ]),
        ElementwiseLayer(typeName: "Sigmoid", summary: "1/(1 + e⁻ˣ).", arguments: []),
        ElementwiseLayer(typeName: "Tanh", summary: "tanh(x).", arguments: []),
        ElementwiseLayer(
            typeName: "Dropout", summary: "Zeroes elements with probability p while training, scaling the rest by 1/(1−p).",
            arguments: [ArgumentSpec("p", .real(.closedUnit), default: .real(0.5), "probability of zeroing"), inplace]),
        ElementwiseLayer(typeName: "Identity", summary: "Returns its input.", arguments: []),
    ]
}

/// `nn.Softmax(dim)` and `nn.LogSoftmax(dim)`: normalise along one dimension.
struct SoftmaxLayer: LayerDefinition {
    let typeName: String
    let summary: String
    let arguments = [
        ArgumentSpec("dim", .integer(.any), default: ArgumentValue.none, "the dimension that sums to 1 (None: PyTorch's implicit choice)")
    ]
    let shapeRule = "[N, *] → the same"

    static let softmax = SoftmaxLayer(typeName: "Softmax", summary: "eˣ / Σ eˣ along dim.")
    static let logSoftmax = SoftmaxLayer(typeName: "LogSoftmax", summary: "log(eˣ / Σ eˣ) along dim.")

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
}
