import NN
import NNSpec

/// `torch.optim.Adadelta`: steps scaled by running averages of squared gradients and squared updates.
struct AdadeltaDefinition: BuildableOptimizer, ExportableComponent {
    let typeName = "Adadelta"
    let summary = "steps scaled by running averages of squared gradients and of squared updates"
    let arguments = [
        OptimizerArguments.lr(1.0),
        ArgumentSpec("rho", .real(.closedUnit), default: .real(0.9), "decay of the running averages"),
        OptimizerArguments.eps(1e-6), OptimizerArguments.weightDecay(0), OptimizerArguments.maximize,
    ]

    func optimizer(_ arguments: BuildArguments, parameters: [Variable], learningRate: Double) throws(BuildError) -> any Optimizer {
        let (rho, eps) = (try arguments.real("rho"), try arguments.real("eps"))
        let (weightDecay, maximize) = (try arguments.real("weight_decay"), try arguments.boolean("maximize"))
        return try arguments.construct { () throws(OptimizerError) in
            try Adadelta(parameters, lr: learningRate, rho: rho, eps: eps, weightDecay: weightDecay, maximize: maximize)
        }
    }
}
