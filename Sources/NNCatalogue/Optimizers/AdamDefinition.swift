import NN
import NNSpec

/// `torch.optim.Adam` (with `decoupled_weight_decay`, AdamW's update) and `torch.optim.AdamW`,
/// which differ in their arguments and AdamW's default weight decay.
struct AdamDefinition: BuildableOptimizer, ExportableComponent {
    let typeName: String
    let summary: String
    let arguments: [ArgumentSpec]
    /// True for AdamW: the decay is always decoupled.
    let isAdamW: Bool

    static let adam = AdamDefinition(
        typeName: "Adam", summary: "adaptive moment estimation",
        arguments: [
            OptimizerArguments.lr(1e-3), OptimizerArguments.betas, OptimizerArguments.eps(1e-8), OptimizerArguments.weightDecay(0),
            OptimizerArguments.amsgrad, OptimizerArguments.maximize,
            OptimizerArguments.decoupledWeightDecay,
        ],
        isAdamW: false)

    static let adamW = AdamDefinition(
        typeName: "AdamW", summary: "Adam with decoupled weight decay",
        arguments: [
            OptimizerArguments.lr(1e-3), OptimizerArguments.betas, OptimizerArguments.eps(1e-8), OptimizerArguments.weightDecay(1e-2),
            OptimizerArguments.amsgrad, OptimizerArguments.maximize,
        ],
        isAdamW: true)

    func optimizer(_ arguments: BuildArguments, parameters: [Variable], learningRate: Double) throws(BuildError) -> any Optimizer {
        let (betas, eps) = (try arguments.realPair("betas"), try arguments.real("eps"))
        let (weightDecay, amsgrad) = (try arguments.real("weight_decay"), try arguments.boolean("amsgrad"))
        let maximize = try arguments.boolean("maximize")
        if isAdamW {
            return try arguments.construct { () throws(OptimizerError) in
                try AdamW(parameters, lr: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                          maximize: maximize)
            }
        }
        let decoupled = try arguments.boolean("decoupled_weight_decay")
        return try arguments.construct { () throws(OptimizerError) in
            try Adam(parameters, lr: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                     maximize: maximize, decoupledWeightDecay: decoupled)
        }
    }
}
