import NNData

/// A typed argument value of a layer, loss, optimizer, scheduler or data block.
public enum ArgumentValue: Hashable, Sendable, CustomStringConvertible {
    case integer(Int)
    /// `kernel_size: 5` is stored as given (`.integer(5)`); `[3, 5]` as `.pair(3, 5)`.
    case pair(Int, Int)
    case real(Double)
    case realPair(Double, Double)
    case boolean(Bool)
    case text(String)
    case integers([Int])
    case reals([Double])
    /// CSV columns by index or header name (`label_column`, `target_columns`).
    case columns([CSVColumn])
    /// PyTorch's `None`.
    case none
    /// `auto`, to be inferred from the incoming shape; never left in a validated spec.
    case auto

    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .pair(let first, let second): return "[\(first), \(second)]"
        case .real(let value): return formatReal(value)
        case .realPair(let first, let second): return "[\(formatReal(first)), \(formatReal(second))]"
        case .boolean(let value): return value ? "true" : "false"
        case .text(let value): return value
        case .integers(let values): return "[" + values.map(String.init).joined(separator: ", ") + "]"
        case .reals(let values): return "[" + values.map(formatReal).joined(separator: ", ") + "]"
        case .columns(let columns):
            let names = columns.map { column in
                switch column {
                case .index(let index): String(index)
                case .name(let name): name
                }
            }
            return names.count == 1 ? names[0] : "[" + names.joined(separator: ", ") + "]"
        case .none: return "None"
        case .auto: return "auto"
        }
    }
}

extension ArgumentValue {
    /// The integer, or nil for another kind of value.
    public var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The number (an integer too), or nil for another kind of value.
    public var realValue: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The flag, or nil for another kind of value.
    public var booleanValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }
}

/// A real number as Swift prints it: `0.01`, `1e-08`, `0.9`, `1.0`.
func formatReal(_ value: Double) -> String { "\(value)" }
