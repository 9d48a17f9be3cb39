import NN
import NNSpec

/// `torch.optim.RMSprop`: divides by a running average of squared gradients.
struct RMSpropDefinition: BuildableOptimizer, ExportableComponent {
    let typeName = "RMSprop"
    let summary = "divides by a running average of squared gradients"
    let arguments = [
        OptimizerArguments.lr(1e-2),
        ArgumentSpec("alpha", .real(.closedUnit), default: .real(0.99), "smoothing constant"),
        OptimizerArguments.eps(1e-8), OptimizerArguments.weightDecay(0), OptimizerArguments.momentum,
        ArgumentSpec("centered", .boolean, default: .boolean(false), "normalise by the estimated variance"),
        OptimizerArguments.maximize,
    ]

    func optimizer(_ arguments: BuildArguments, parameters: [Variable], learningRate: Double) throws(BuildError) -> any Optimizer {
        let (alpha, eps) = (try arguments.real("alpha"), try arguments.real("eps"))
        let (weightDecay, momentum) = (try arguments.real("weight_decay"), try arguments.real("momentum"))
        let (centered, maximize) = (try arguments.boolean("centered"), try arguments.boolean("maximize"))
        return try arguments.construct { () throws(OptimizerError) in
            try RMSprop(parameters, lr: learningRate, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum,
                        centered: centered, maximize: maximize)
        }
    }
}
