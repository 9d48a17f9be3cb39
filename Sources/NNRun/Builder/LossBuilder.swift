import NN
import NNSpec
import NNTensor

/// Makes the `NN` loss of a spec's `loss:`, with its PyTorch arguments.
public enum LossBuilder {
    public static func loss(_ component: ResolvedComponent) throws(BuildError) -> any Loss {
        let arguments = component.arguments
        func failure(_ message: String) -> BuildError { BuildError(mark: nil, message: "loss \(component.typeName): \(message)") }
        guard let reductionName = arguments.text("reduction"), let reduction = Reduction(rawValue: reductionName) else {
            throw failure("reduction \(arguments["reduction"].map { "\($0)" } ?? "missing") is not mean, sum or none")
        }
        /// A per-class weight list, or nil for PyTorch's `None`.
        func weights(_ name: String) -> Tensor? {
            arguments.reals(name).map { Tensor(shape: [$0.count], scalars: $0.map(Float.init)) }
        }
        do throws(NNError) {
            switch component.typeName {
            case "MSELoss": return MSELoss(reduction: reduction)
            case "L1Loss": return L1Loss(reduction: reduction)
            case "SmoothL1Loss": return try SmoothL1Loss(reduction: reduction, beta: arguments.real("beta") ?? 1)
            case "CrossEntropyLoss":
                return try CrossEntropyLoss(weight: weights("weight"), ignoreIndex: arguments.integer("ignore_index") ?? -100,
                                            reduction: reduction, labelSmoothing: arguments.real("label_smoothing") ?? 0)
            case "NLLLoss":
                return NLLLoss(weight: weights("weight"), ignoreIndex: arguments.integer("ignore_index") ?? -100, reduction: reduction)
            case "BCELoss": return BCELoss(reduction: reduction)
            case "BCEWithLogitsLoss": return BCEWithLogitsLoss(reduction: reduction, posWeight: weights("pos_weight"))
            default: throw .unknownName("no loss implements this type yet")
            }
        } catch {
            throw failure(error.description)
        }
    }
}

extension Targets {
    /// The targets as a loss takes them.
    public var lossTarget: NN.LossTarget {
        switch self {
        case .classes(let indices, _): .classes(indices)
        case .values(let values): .values(values)
        }
    }
}
