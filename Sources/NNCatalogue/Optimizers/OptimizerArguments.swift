import NNSpec

/// Arguments that several optimizers share, declared once (defaults differ per optimizer where PyTorch's do).
enum OptimizerArguments {
    static func lr(_ value: Double) -> ArgumentSpec {
        ArgumentSpec("lr", .real(.positive), default: .real(value), "learning rate")
    }
    static func weightDecay(_ value: Double) -> ArgumentSpec {
        ArgumentSpec("weight_decay", .real(.nonNegative), default: .real(value), "L2 penalty (AdamW: decoupled decay)")
    }
    static let betas = ArgumentSpec(
        "betas", .realPair(.halfOpenUnit), default: .realPair(0.9, 0.999), "decay of the running averages of gradient and its square")
    static func eps(_ value: Double) -> ArgumentSpec {
        ArgumentSpec("eps", .real(.nonNegative), default: .real(value), "added to the denominator")
    }
    static let maximize = ArgumentSpec("maximize", .boolean, default: .boolean(false), "ascend the objective instead of descending")
    static let amsgrad = ArgumentSpec(
        "amsgrad", .boolean, default: .boolean(false), "AMSGrad: divide by the maximum of the squared-gradient averages so far")
    static let decoupledWeightDecay = ArgumentSpec(
        "decoupled_weight_decay", .boolean, default: .boolean(false),
        "shrink the parameters by lr·weight_decay instead of adding the decay to the gradient (AdamW)")
    static let momentum = ArgumentSpec("momentum", .real(.nonNegative), default: .real(0), "momentum factor")
}
