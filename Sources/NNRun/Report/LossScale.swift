/// The y axis of the loss and learning-rate curves (`--loss-scale`).
public enum LossScale: String, CaseIterable, Sendable {
    /// Logarithmic when every value is positive and the largest is at least 100 times the smallest.
    case auto
    case linear
    case log

    /// Whether `values` (their finite ones) are drawn on a logarithmic axis.
    func isLogarithmic(_ values: [Double]) -> Bool {
        switch self {
        case .linear: return false
        case .log: return true
        case .auto:
            let finite = values.filter(\.isFinite)
            guard let low = finite.min(), let high = finite.max(), low > 0 else { return false }
            return high / low >= 100
        }
    }
}
