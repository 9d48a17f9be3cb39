/// Conv2d's `padding`: zeros added on each side (one size or a (height, width) pair), or PyTorch's
/// strings `'same'` (output size = input size; stride 1 only) and `'valid'` (no padding).
/// Printed as PyTorch prints it: `padding=(1, 2)`, `padding=same`, `padding=valid`.
public enum Conv2dPadding: Sendable, Equatable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    case sizes(IntOrPair)
    case same
    case valid

    public init(integerLiteral value: Int) { self = .sizes(.single(value)) }

    /// `.pair(height, width)`: explicit sizes, as `padding=(height, width)`.
    public static func pair(_ height: Int, _ width: Int) -> Conv2dPadding { .sizes(.pair(height, width)) }

    /// PyTorch's string form, `"same"` or `"valid"`, or nil for another text.
    public init?(_ text: String) {
        switch text {
        case "same": self = .same
        case "valid": self = .valid
        default: return nil
        }
    }

    /// Sizes in pair form, as PyTorch's `_pair()` stores them; the strings unchanged.
    public var asPairs: Conv2dPadding {
        if case .sizes(let sizes) = self { .sizes(sizes.asPair) } else { self }
    }

    public var description: String {
        switch self {
        case .sizes(let sizes): sizes.description
        case .same: "same"
        case .valid: "valid"
        }
    }

    /// Zeros before (top, left) and after (bottom, right) the input, for a kernel of `kernelSize`
    /// and `dilation`. `same` pads dilation·(kernel − 1) per dimension, the odd one after, as
    /// PyTorch's `_convolution_same`.
    func amounts(kernelSize: (Int, Int), dilation: (Int, Int)) -> (before: (Int, Int), after: (Int, Int)) {
        switch self {
        case .sizes(let sizes): return (sizes.values, sizes.values)
        case .valid: return ((0, 0), (0, 0))
        case .same:
            let total = (dilation.0 * (kernelSize.0 - 1), dilation.1 * (kernelSize.1 - 1))
            let before = (total.0 / 2, total.1 / 2)
            return (before, (total.0 - before.0, total.1 - before.1))
        }
    }
}
