import NN
import NNSpec
import NNTensor

/// Typed, strict access to the resolved arguments of one layer, loss, optimizer or scheduler.
/// A validated spec has every argument (given or defaulted), so a missing one or one of another
/// kind is a `BuildError` naming the owner, never a fallback value.
public struct BuildArguments {
    public let arguments: Arguments
    /// The owner as errors name it: "layer conv1 (Conv2d)", "loss CrossEntropyLoss".
    public let owner: String
    /// Where the spec writes the owner, when known.
    public let mark: SourceMark?
    /// The components written inside the owner (SequentialLR's `schedulers`).
    public var nested: [ResolvedComponent] = []
    /// The layers written as the owner's arguments (TransformerEncoder's `encoder_layer`, `norm`).
    public var nestedLayers: [NestedLayer] = []

    public init(_ arguments: Arguments, owner: String, mark: SourceMark?) {
        self.arguments = arguments
        self.owner = owner
        self.mark = mark
    }

    /// The arguments of `layer`.
    public init(layer: ResolvedLayer) {
        self.init(layer.arguments, owner: "layer \(layer.name) (\(layer.typeName))", mark: layer.mark)
        nestedLayers = layer.nested
    }

    /// The arguments of a loss, optimizer or scheduler written at `mark`; `kind` is "loss", "optimizer" or "scheduler".
    public init(_ kind: String, typeName: String, arguments: Arguments, mark: SourceMark?) {
        self.init(arguments, owner: "\(kind) \(typeName)", mark: mark)
    }

    /// An error naming the owner.
    public func failure(_ message: String) -> BuildError { BuildError(mark: mark, message: "\(owner): \(message)") }

    private func missing(_ name: String, _ kind: String) -> BuildError {
        failure("argument \(name) is \(arguments[name].map { "\($0)" } ?? "missing"), not \(kind)")
    }

    /// Argument `name` as `read` takes it from the arguments, or an error naming `kind`.
    private func value<T>(_ name: String, _ kind: String, _ read: (Arguments, String) -> T?) throws(BuildError) -> T {
        guard let value = read(arguments, name) else { throw missing(name, kind) }
        return value
    }

    public func integer(_ name: String) throws(BuildError) -> Int { try value(name, "an integer") { $0.integer($1) } }
    public func real(_ name: String) throws(BuildError) -> Double { try value(name, "a number") { $0.real($1) } }
    public func boolean(_ name: String) throws(BuildError) -> Bool { try value(name, "true or false") { $0.boolean($1) } }
    public func text(_ name: String) throws(BuildError) -> String { try value(name, "a text") { $0.text($1) } }
    public func integers(_ name: String) throws(BuildError) -> [Int] { try value(name, "a list of integers") { $0.integers($1) } }
    public func realPair(_ name: String) throws(BuildError) -> (Double, Double) {
        try value(name, "a pair of numbers") { $0.realPair($1) }
    }

    /// An integer or a pair, kept as written (PyTorch prints `kernel_size=2` and `(2, 2)` differently).
    public func size(_ name: String) throws(BuildError) -> IntOrPair {
        switch arguments[name] {
        case .integer(let value)?: .single(value)
        case .pair(let height, let width)?: .pair(height, width)
        default: throw missing(name, "an integer or a pair")
        }
    }

    /// Conv2d's padding: sizes, or `same` / `valid` as the spec writes them (PyTorch prints them so).
    public func convolutionPadding(_ name: String) throws(BuildError) -> Conv2dPadding {
        guard let text = arguments.text(name) else { return .sizes(try size(name)) }
        guard let padding = Conv2dPadding(text) else { throw missing(name, "'same', 'valid' or sizes") }
        return padding
    }

    /// `read(name)`, or nil for PyTorch's `None`.
    private func optional<T>(_ name: String, _ read: (String) throws(BuildError) -> T) throws(BuildError) -> T? {
        arguments[name] == ArgumentValue.none ? nil : try read(name)
    }

    /// `size(name)`, or nil for PyTorch's `None`.
    public func optionalSize(_ name: String) throws(BuildError) -> IntOrPair? { try optional(name, size) }

    /// `integer(name)`, or nil for PyTorch's `None`.
    public func optionalInteger(_ name: String) throws(BuildError) -> Int? { try optional(name, integer) }

    /// `boolean(name)`, or nil for PyTorch's `None` (Upsample's align_corners).
    public func optionalBoolean(_ name: String) throws(BuildError) -> Bool? { try optional(name, boolean) }

    /// `real(name)`, or nil for PyTorch's `None` (BatchNorm's momentum: a cumulative average).
    public func optionalReal(_ name: String) throws(BuildError) -> Double? { try optional(name, real) }

    /// The list of reals `name` as a 1-D tensor (a loss's per-class weights), or nil for `None`.
    public func optionalVector(_ name: String) throws(BuildError) -> Tensor? {
        try optional(name) { (name) throws(BuildError) in
            let values = try value(name, "a list of numbers") { $0.reals($1) }
            return Tensor(shape: [values.count], scalars: values.map(Float.init))
        }
    }

    /// Throws unless argument `name` has its default `value`: the module has no such option.
    public func require(_ name: String, is value: ArgumentValue) throws(BuildError) {
        guard arguments[name] == nil || arguments[name] == value else {
            throw failure("\(name) \(arguments[name]!) is not supported (only \(value))")
        }
    }

    /// What `make` constructs; the constructor's refusal becomes the owner's error.
    public func construct<Built, Failure: Error & CustomStringConvertible>(
        _ make: () throws(Failure) -> Built
    ) throws(BuildError) -> Built {
        do {
            return try make()
        } catch {
            throw failure(error.description)
        }
    }
}
