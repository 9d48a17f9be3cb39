/// Why a network or loss has no `TrainingPlan`; the caller trains through autograd instead.
public enum TrainingPlanError: Error, Equatable, CustomStringConvertible {
    case unsupported(String)

    public var description: String {
        switch self {
        case .unsupported(let reason): reason
        }
    }
}
