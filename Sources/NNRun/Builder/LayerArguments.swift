import NN
import NNSpec

/// Typed access to a resolved layer's arguments, throwing a `BuildError` that names the layer
/// when one is missing or of another type (a validated spec always has them).
struct LayerArguments {
    let layer: ResolvedLayer

    func failure(_ message: String) -> BuildError { BuildError(layer: layer, message) }

    private func missing(_ name: String, _ kind: String) -> BuildError {
        failure("argument \(name) is \(layer.arguments[name].map { "\($0)" } ?? "missing"), not \(kind)")
    }

    /// Argument `name` as `read` takes it from the arguments, or an error naming `kind`.
    private func value<T>(_ name: String, _ kind: String, _ read: (Arguments, String) -> T?) throws(BuildError) -> T {
        guard let value = read(layer.arguments, name) else { throw missing(name, kind) }
        return value
    }

    func integer(_ name: String) throws(BuildError) -> Int { try value(name, "an integer") { $0.integer($1) } }
    func real(_ name: String) throws(BuildError) -> Double { try value(name, "a number") { $0.real($1) } }
    func boolean(_ name: String) throws(BuildError) -> Bool { try value(name, "true or false") { $0.boolean($1) } }
    func text(_ name: String) throws(BuildError) -> String { try value(name, "a text") { $0.text($1) } }
    func integers(_ name: String) throws(BuildError) -> [Int] { try value(name, "a list of integers") { $0.integers($1) } }

    /// An integer or a pair, kept as written (PyTorch prints `kernel_size=2` and `(2, 2)` differently).
    func size(_ name: String) throws(BuildError) -> IntOrPair {
        switch layer.arguments[name] {
        case .integer(let value)?: .single(value)
        case .pair(let height, let width)?: .pair(height, width)
        default: throw missing(name, "an integer or a pair")
        }
    }

    /// Conv2d's padding: sizes, or `same` / `valid` as the spec writes them (PyTorch prints them so).
    func convolutionPadding(_ name: String) throws(BuildError) -> Conv2dPadding {
        guard let text = layer.arguments.text(name) else { return .sizes(try size(name)) }
        guard let padding = Conv2dPadding(text) else { throw missing(name, "'same', 'valid' or sizes") }
        return padding
    }

    /// `read(name)`, or nil for PyTorch's `None`.
    private func optional<T>(_ name: String, _ read: (String) throws(BuildError) -> T) throws(BuildError) -> T? {
        layer.arguments[name] == ArgumentValue.none ? nil : try read(name)
    }

    /// `size(name)`, or nil for PyTorch's `None`.
    func optionalSize(_ name: String) throws(BuildError) -> IntOrPair? { try optional(name, size) }

    /// `integer(name)`, or nil for PyTorch's `None`.
    func optionalInteger(_ name: String) throws(BuildError) -> Int? { try optional(name, integer) }

    /// `real(name)`, or nil for PyTorch's `None` (BatchNorm's momentum: a cumulative average).
    func optionalReal(_ name: String) throws(BuildError) -> Double? { try optional(name, real) }

    /// Throws unless argument `name` has its default `value`: the module has no such option.
    func require(_ name: String, is value: ArgumentValue) throws(BuildError) {
        guard layer.arguments[name] == nil || layer.arguments[name] == value else {
            throw failure("\(name) \(layer.arguments[name]!) is not supported (only \(value))")
        }
    }

    /// The module `make` constructs; the constructor's refusal becomes this layer's error.
    func construct<M: Module>(_ make: () throws(NNError) -> M) throws(BuildError) -> M {
        do {
            return try make()
        } catch {
            throw failure(error.description)
        }
    }
}
