/// The declaration of one constructor argument: PyTorch's name, type, default and limits.
public struct ArgumentSpec: Sendable {
    /// The accepted values.
    public enum Kind: Sendable, Equatable {
        /// An integer or an integer expression.
        case integer(IntegerRange)
        /// An integer, an expression, or `auto` (inferred from the incoming shape).
        case integerOrAuto(IntegerRange)
        /// An integer or a pair `[height, width]`.
        case integerPair(IntegerRange)
        /// As `integerPair`, or the text `same` / `valid` (Conv2d's padding).
        case padding
        /// One integer or a list of them (LayerNorm's normalized_shape, Reshape's shape).
        case integers(IntegerRange)
        case real(RealRange)
        /// Two reals `[a, b]` (Adam's betas).
        case realPair(RealRange)
        /// A list of reals (one per channel).
        case reals(RealRange)
        case boolean
        /// One of the listed words.
        case choice([String])
        /// A file path (relative paths are relative to the spec's directory).
        case path
        /// The dotted name of another module of the network (`tok`, `features.0`).
        case moduleName
        /// A column of a CSV file: its index (≥ 0) or its name in the header row.
        case column
        /// One CSV column or a list of them, each an index or a header name.
        case columns
    }

    public enum IntegerRange: Sendable, Equatable {
        case any
        case positive
        case nonNegative
        /// -1 or a positive size (a dimension to infer, as in `view(-1, …)`).
        case sizeOrMinusOne
    }

    public enum RealRange: Sendable, Equatable {
        case any
        case positive
        case nonNegative
        /// 0 ≤ x ≤ 1.
        case closedUnit
        /// 0 ≤ x < 1.
        case halfOpenUnit
    }

    public var name: String
    public var kind: Kind
    /// The default when the argument is omitted; nil when the argument is required.
    public var defaultValue: ArgumentValue?
    /// True when YAML `null` (PyTorch's `None`) is a value: when None is the default, or when it
    /// means something else (BatchNorm's `momentum: None`, a cumulative average).
    public var acceptsNone: Bool
    /// One line for the catalogue.
    public var summary: String

    public init(
        _ name: String, _ kind: Kind, default defaultValue: ArgumentValue? = nil, acceptsNone: Bool = false, _ summary: String
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.acceptsNone = acceptsNone || defaultValue == ArgumentValue.none
        self.summary = summary
    }

    public var isRequired: Bool { defaultValue == nil }

    /// The type in words, for the catalogue and for messages.
    public var typeDescription: String {
        kindDescription + (acceptsNone ? " or None" : "")
    }

    private var kindDescription: String {
        switch kind {
        case .integer(let range): return "int" + range.suffix
        case .integerOrAuto(let range): return "int\(range.suffix) or auto"
        case .integerPair(let range): return "int\(range.suffix) or [h, w]"
        case .padding: return "int ≥ 0, [h, w], 'same' or 'valid'"
        case .integers(let range): return "int\(range.suffix) or list of ints"
        case .real(let range): return "float" + range.suffix
        case .realPair(let range): return "[float, float]" + range.suffix
        case .reals(let range): return "list of floats" + range.suffix
        case .boolean: return "bool"
        case .choice(let words): return words.map { "'\($0)'" }.joined(separator: " | ")
        case .path: return "path"
        case .moduleName: return "module name"
        case .column: return "int ≥ 0 or column name"
        case .columns: return "int ≥ 0, column name or list of them"
        }
    }
}

extension ArgumentSpec.IntegerRange {
    var suffix: String {
        switch self {
        case .any: return ""
        case .positive: return " > 0"
        case .nonNegative: return " ≥ 0"
        case .sizeOrMinusOne: return " > 0 or -1"
        }
    }

    func admits(_ value: Int) -> Bool {
        switch self {
        case .any: return true
        case .positive: return value > 0
        case .nonNegative: return value >= 0
        case .sizeOrMinusOne: return value > 0 || value == -1
        }
    }

    var requirement: String {
        switch self {
        case .any: return "an integer"
        case .positive: return "positive"
        case .nonNegative: return "0 or more"
        case .sizeOrMinusOne: return "positive or -1"
        }
    }
}

extension ArgumentSpec.RealRange {
    var suffix: String {
        switch self {
        case .any: return ""
        case .positive: return " > 0"
        case .nonNegative: return " ≥ 0"
        case .closedUnit: return " in [0, 1]"
        case .halfOpenUnit: return " in [0, 1)"
        }
    }

    func admits(_ value: Double) -> Bool {
        switch self {
        case .any: return true
        case .positive: return value > 0
        case .nonNegative: return value >= 0
        case .closedUnit: return value >= 0 && value <= 1
        case .halfOpenUnit: return value >= 0 && value < 1
        }
    }

    var requirement: String {
        switch self {
        case .any: return "a number"
        case .positive: return "greater than 0"
        case .nonNegative: return "0 or more"
        case .closedUnit: return "in [0, 1]"
        case .halfOpenUnit: return "in [0, 1)"
        }
    }
}
