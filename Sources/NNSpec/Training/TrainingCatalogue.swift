/// A loss, optimizer or scheduler type: its `torch.nn` / `torch.optim` name and constructor
/// arguments with PyTorch's defaults.
public struct ComponentDefinition: Sendable {
    public var typeName: String
    public var summary: String
    public var arguments: [ArgumentSpec]

    public init(_ typeName: String, _ summary: String, _ arguments: [ArgumentSpec]) {
        self.typeName = typeName
        self.summary = summary
        self.arguments = arguments
    }
}

/// What a loss needs from the network output and the data.
public enum LossTarget: Sendable {
    /// Class indices [N]; the output must be logits or log-probabilities [N, C].
    case classIndices
    /// Values of the output's shape.
    case sameShapeAsOutput
}

/// The losses of `torch.nn`.
public enum LossCatalogue {
    private static let reduction = ArgumentSpec(
        "reduction", .choice(["mean", "sum", "none"]), default: .text("mean"), "how per-element losses are combined")
    private static let ignoreIndex = ArgumentSpec(
        "ignore_index", .integer(.any), default: .integer(-100), "a target value that does not contribute")
    private static let classWeight = ArgumentSpec(
        "weight", .reals(.nonNegative), default: ArgumentValue.none, "a weight per class (length C)")

    public static let all: [ComponentDefinition] = [
        ComponentDefinition("MSELoss", "mean squared error (x − y)²", [reduction]),
        ComponentDefinition("L1Loss", "mean absolute error |x − y|", [reduction]),
        ComponentDefinition(
            "SmoothL1Loss", "squared below beta, absolute above",
            [reduction, ArgumentSpec("beta", .real(.nonNegative), default: .real(1.0), "where the loss turns linear")]),
        ComponentDefinition(
            "CrossEntropyLoss", "log_softmax + negative log likelihood over [N, C] logits and class indices",
            [
                classWeight, ignoreIndex, reduction,
                ArgumentSpec("label_smoothing", .real(.closedUnit), default: .real(0.0), "mass spread over all classes"),
            ]),
        ComponentDefinition("NLLLoss", "negative log likelihood over [N, C] log-probabilities", [classWeight, ignoreIndex, reduction]),
        ComponentDefinition("BCELoss", "binary cross entropy of probabilities in [0, 1]", [reduction]),
        ComponentDefinition(
            "BCEWithLogitsLoss", "sigmoid + binary cross entropy, numerically stable",
            [reduction, ArgumentSpec("pos_weight", .reals(.nonNegative), default: ArgumentValue.none, "weight of positives per class")]),
    ]

    /// What the loss's target is.
    public static func target(of typeName: String) -> LossTarget {
        typeName == "CrossEntropyLoss" || typeName == "NLLLoss" ? .classIndices : .sameShapeAsOutput
    }
}

/// The optimizers of `torch.optim` (the arguments nnspec implements).
public enum OptimizerCatalogue {
    private static func lr(_ value: Double) -> ArgumentSpec {
        ArgumentSpec("lr", .real(.positive), default: .real(value), "learning rate")
    }
    private static func weightDecay(_ value: Double) -> ArgumentSpec {
        ArgumentSpec("weight_decay", .real(.nonNegative), default: .real(value), "L2 penalty (AdamW: decoupled decay)")
    }
    private static let betas = ArgumentSpec(
        "betas", .realPair(.halfOpenUnit), default: .realPair(0.9, 0.999), "decay of the running averages of gradient and its square")
    private static let eps = ArgumentSpec("eps", .real(.nonNegative), default: .real(1e-8), "added to the denominator")
    private static let maximize = ArgumentSpec("maximize", .boolean, default: .boolean(false), "ascend the objective instead of descending")
    private static let amsgrad = ArgumentSpec(
        "amsgrad", .boolean, default: .boolean(false), "AMSGrad: divide by the maximum of the squared-gradient averages so far")

    public static let all: [ComponentDefinition] = [
        ComponentDefinition(
            "SGD", "stochastic gradient descent, with momentum and Nesterov momentum",
            [
                lr(1e-3),
                ArgumentSpec("momentum", .real(.nonNegative), default: .real(0), "momentum factor"),
                ArgumentSpec("dampening", .real(.nonNegative), default: .real(0), "dampening of momentum"),
                weightDecay(0),
                ArgumentSpec("nesterov", .boolean, default: .boolean(false), "Nesterov momentum (needs momentum > 0, dampening 0)"),
                maximize,
            ]),
        ComponentDefinition(
            "Adam", "adaptive moment estimation",
            [
                lr(1e-3), betas, eps, weightDecay(0), amsgrad, maximize,
                ArgumentSpec(
                    "decoupled_weight_decay", .boolean, default: .boolean(false),
                    "shrink the parameters by lr·weight_decay instead of adding the decay to the gradient (AdamW)"),
            ]),
        ComponentDefinition("AdamW", "Adam with decoupled weight decay", [lr(1e-3), betas, eps, weightDecay(1e-2), amsgrad, maximize]),
        ComponentDefinition(
            "RMSprop", "divides by a running average of squared gradients",
            [
                lr(1e-2),
                ArgumentSpec("alpha", .real(.closedUnit), default: .real(0.99), "smoothing constant"),
                eps, weightDecay(0),
                ArgumentSpec("momentum", .real(.nonNegative), default: .real(0), "momentum factor"),
                ArgumentSpec("centered", .boolean, default: .boolean(false), "normalise by the estimated variance"),
                maximize,
            ]),
    ]
}

/// The learning-rate schedulers of `torch.optim.lr_scheduler`, stepped once per epoch.
public enum SchedulerCatalogue {
    public static let all: [ComponentDefinition] = [
        ComponentDefinition(
            "StepLR", "multiplies lr by gamma every step_size epochs",
            [
                ArgumentSpec("step_size", .integer(.positive), "epochs between decays"),
                ArgumentSpec("gamma", .real(.positive), default: .real(0.1), "decay factor"),
            ]),
        ComponentDefinition(
            "ExponentialLR", "multiplies lr by gamma every epoch",
            [ArgumentSpec("gamma", .real(.positive), "decay factor")]),
        ComponentDefinition(
            "CosineAnnealingLR", "anneals lr to eta_min along a half cosine over T_max epochs",
            [
                ArgumentSpec("T_max", .integer(.positive), "epochs of the half cosine"),
                ArgumentSpec("eta_min", .real(.nonNegative), default: .real(0), "the lowest lr"),
            ]),
    ]
}

extension Array where Element == ComponentDefinition {
    func named(_ typeName: String) -> ComponentDefinition? { first { $0.typeName == typeName } }
}
