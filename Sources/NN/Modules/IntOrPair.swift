/// A 2-D size argument given as one integer for both dimensions or as a (height, width) pair,
/// as PyTorch's `_size_2_t`. It remembers which, because PyTorch prints them differently
/// (`kernel_size=2` vs `kernel_size=(2, 2)`).
public enum IntOrPair: Sendable, Equatable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    case single(Int)
    case pair(Int, Int)

    public init(integerLiteral value: Int) { self = .single(value) }

    public init(_ height: Int, _ width: Int) { self = .pair(height, width) }

    /// (height, width)
    public var values: (Int, Int) {
        switch self {
        case .single(let value): (value, value)
        case .pair(let height, let width): (height, width)
        }
    }

    /// Always the pair form, as PyTorch's `_pair()` (Conv2d stores its sizes this way).
    public var asPair: IntOrPair { .pair(values.0, values.1) }

    /// Python's repr: `2` or `(2, 3)`.
    public var description: String {
        switch self {
        case .single(let value): "\(value)"
        case .pair(let height, let width): "(\(height), \(width))"
        }
    }
}
