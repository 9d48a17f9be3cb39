import NN
import NNSpec

/// `torch.optim.RAdam`: Adam with the variance of its adaptive rate rectified (plain momentum while it is not tractable).
struct RAdamDefinition: BuildableOptimizer, ExportableComponent {
    let typeName = "RAdam"
    let summary = "Adam with a rectified adaptive rate (momentum SGD for the first steps)"
    let arguments = [
        OptimizerArguments.lr(1e-3), OptimizerArguments.betas, OptimizerArguments.eps(1e-8), OptimizerArguments.weightDecay(0),
        OptimizerArguments.decoupledWeightDecay, OptimizerArguments.maximize,
    ]

    func optimizer(_ arguments: BuildArguments, parameters: [Variable], learningRate: Double) throws(BuildError) -> any Optimizer {
        let (betas, eps, weightDecay) = (try arguments.realPair("betas"), try arguments.real("eps"), try arguments.real("weight_decay"))
        let (decoupled, maximize) = (try arguments.boolean("decoupled_weight_decay"), try arguments.boolean("maximize"))
        return try arguments.construct { () throws(OptimizerError) in
            try RAdam(parameters, lr: learningRate, betas: betas, eps: eps, weightDecay: weightDecay,
                      decoupledWeightDecay: decoupled, maximize: maximize)
        }
    }
}
