import NN
import NNSpec

/// `torch.optim.SGD`: stochastic gradient descent, with momentum and Nesterov momentum.
struct SGDDefinition: BuildableOptimizer, ExportableComponent {
    let typeName = "SGD"
    let summary = "stochastic gradient descent, with momentum and Nesterov momentum"
    let arguments = [
        OptimizerArguments.lr(1e-3),
        OptimizerArguments.momentum,
        ArgumentSpec("dampening", .real(.nonNegative), default: .real(0), "dampening of momentum"),
        OptimizerArguments.weightDecay(0),
        ArgumentSpec("nesterov", .boolean, default: .boolean(false), "Nesterov momentum (needs momentum > 0, dampening 0)"),
        OptimizerArguments.maximize,
    ]

    /// PyTorch's rule: nesterov needs momentum > 0 and dampening 0.
    func problems(_ arguments: Arguments) -> [ArgumentProblem] {
        guard arguments.boolean("nesterov") == true,
            (arguments.real("momentum") ?? 0) <= 0 || (arguments.real("dampening") ?? 0) != 0
        else { return [] }
        let written = "momentum is \(arguments["momentum"] ?? .none), dampening \(arguments["dampening"] ?? .none)"
        return [
            ArgumentProblem(
                "SGD nesterov needs momentum > 0 and dampening 0 (\(written))", argument: "nesterov", hint: "add `momentum: 0.9`")
        ]
    }

    func optimizer(_ arguments: BuildArguments, parameters: [Variable], learningRate: Double) throws(BuildError) -> any Optimizer {
        let (momentum, dampening) = (try arguments.real("momentum"), try arguments.real("dampening"))
        let (weightDecay, nesterov) = (try arguments.real("weight_decay"), try arguments.boolean("nesterov"))
        let maximize = try arguments.boolean("maximize")
        return try arguments.construct { () throws(OptimizerError) in
            try SGD(parameters, lr: learningRate, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
                    nesterov: nesterov, maximize: maximize)
        }
    }
}
