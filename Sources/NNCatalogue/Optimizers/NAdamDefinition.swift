import NN
import NNSpec

/// `torch.optim.NAdam`: Adam with Nesterov momentum.
struct NAdamDefinition: BuildableOptimizer, ExportableComponent {
    let typeName = "NAdam"
    let summary = "Adam with Nesterov momentum"
    let arguments = [
        OptimizerArguments.lr(2e-3), OptimizerArguments.betas, OptimizerArguments.eps(1e-8), OptimizerArguments.weightDecay(0),
        ArgumentSpec("momentum_decay", .real(.nonNegative), default: .real(4e-3), "how fast the momentum coefficient approaches beta1"),
        OptimizerArguments.decoupledWeightDecay, OptimizerArguments.maximize,
    ]

    func optimizer(_ arguments: BuildArguments, parameters: [Variable], learningRate: Double) throws(BuildError) -> any Optimizer {
        let (betas, eps) = (try arguments.realPair("betas"), try arguments.real("eps"))
        let (weightDecay, momentumDecay) = (try arguments.real("weight_decay"), try arguments.real("momentum_decay"))
        let (decoupled, maximize) = (try arguments.boolean("decoupled_weight_decay"), try arguments.boolean("maximize"))
        return try arguments.construct { () throws(OptimizerError) in
            try NAdam(parameters, lr: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, momentumDecay: momentumDecay,
                      decoupledWeightDecay: decoupled, maximize: maximize)
        }
    }
}
