import NN
import NNSpec

/// `torch.optim.Adagrad`: divides by the root of the summed squared gradients.
struct AdagradDefinition: BuildableOptimizer, ExportableComponent {
    let typeName = "Adagrad"
    let summary = "divides by the root of the summed squared gradients"
    let arguments = [
        OptimizerArguments.lr(1e-2),
        ArgumentSpec("lr_decay", .real(.nonNegative), default: .real(0), "step t uses lr / (1 + (t − 1)·lr_decay)"),
        OptimizerArguments.weightDecay(0),
        ArgumentSpec("initial_accumulator_value", .real(.nonNegative), default: .real(0), "the sum's starting value"),
        OptimizerArguments.eps(1e-10), OptimizerArguments.maximize,
    ]

    func optimizer(_ arguments: BuildArguments, parameters: [Variable], learningRate: Double) throws(BuildError) -> any Optimizer {
        let (lrDecay, weightDecay) = (try arguments.real("lr_decay"), try arguments.real("weight_decay"))
        let (initial, eps) = (try arguments.real("initial_accumulator_value"), try arguments.real("eps"))
        let maximize = try arguments.boolean("maximize")
        return try arguments.construct { () throws(OptimizerError) in
            try Adagrad(parameters, lr: learningRate, lrDecay: lrDecay, weightDecay: weightDecay,
                        initialAccumulatorValue: initial, eps: eps, maximize: maximize)
        }
    }
}
