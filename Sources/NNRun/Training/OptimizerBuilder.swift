import NN
import NNSpec

/// Makes the `NN` optimizer of a spec's `optimizer:` and the scheduler of its `train: scheduler:`,
/// with their PyTorch arguments (defaults already filled in by the validator).
public enum OptimizerBuilder {
    /// The optimizer over `parameters`; `learningRate` replaces the spec's `lr` when given (`--lr`).
    public static func optimizer(_ component: ResolvedComponent, parameters: [Variable],
                                 learningRate: Double? = nil) throws(BuildError) -> any Optimizer {
        let arguments = component.arguments
        let lr = learningRate ?? arguments.real("lr") ?? 1e-3
        let weightDecay = arguments.real("weight_decay")
        let betas = arguments.realPair("betas") ?? (0.9, 0.999)
        let eps = arguments.real("eps") ?? 1e-8
        let amsgrad = arguments.boolean("amsgrad") ?? false
        let maximize = arguments.boolean("maximize") ?? false
        do throws(OptimizerError) {
            switch component.typeName {
            case "SGD":
                return try SGD(parameters, lr: lr, momentum: arguments.real("momentum") ?? 0,
                               dampening: arguments.real("dampening") ?? 0, weightDecay: weightDecay ?? 0,
                               nesterov: arguments.boolean("nesterov") ?? false, maximize: maximize)
            case "Adam":
                return try Adam(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay ?? 0,
                                amsgrad: amsgrad, maximize: maximize,
                                decoupledWeightDecay: arguments.boolean("decoupled_weight_decay") ?? false)
            case "AdamW":
                return try AdamW(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay ?? 1e-2,
                                 amsgrad: amsgrad, maximize: maximize)
            case "RMSprop":
                return try RMSprop(parameters, lr: lr, alpha: arguments.real("alpha") ?? 0.99, eps: eps,
                                   weightDecay: weightDecay ?? 0, momentum: arguments.real("momentum") ?? 0,
                                   centered: arguments.boolean("centered") ?? false, maximize: maximize)
            default:
                throw .invalidArgument("no optimizer implements this type yet (implemented: SGD, Adam, AdamW, RMSprop)")
            }
        } catch {
            throw BuildError(mark: nil, message: "optimizer \(component.typeName): \(error.description)")
        }
    }

    /// The scheduler stepping `optimizer` once per epoch.
    public static func scheduler(_ component: ResolvedComponent, optimizer: any Optimizer) throws(BuildError) -> any LRScheduler {
        let arguments = component.arguments
        do throws(OptimizerError) {
            switch component.typeName {
            case "StepLR":
                return try StepLR(optimizer, stepSize: arguments.integer("step_size") ?? 0, gamma: arguments.real("gamma") ?? 0.1)
            case "ExponentialLR":
                return ExponentialLR(optimizer, gamma: arguments.real("gamma") ?? 1)
            case "CosineAnnealingLR":
                return try CosineAnnealingLR(optimizer, tMax: arguments.integer("T_max") ?? 0, etaMin: arguments.real("eta_min") ?? 0)
            default:
                throw .invalidArgument("no scheduler implements this type yet (implemented: StepLR, ExponentialLR, CosineAnnealingLR)")
            }
        } catch {
            throw BuildError(mark: nil, message: "scheduler \(component.typeName): \(error.description)")
        }
    }
}
