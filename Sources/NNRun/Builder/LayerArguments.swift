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

    func integer(_ name: String) throws(BuildError) -> Int {
        guard let value = layer.arguments.integer(name) else { throw missing(name, "an integer") }
        return value
    }

    func real(_ name: String) throws(BuildError) -> Double {
        guard let value = layer.arguments.real(name) else { throw missing(name, "a number") }
        return value
    }

    func boolean(_ name: String) throws(BuildError) -> Bool {
        guard let value = layer.arguments.boolean(name) else { throw missing(name, "true or false") }
        return value
    }

    func text(_ name: String) throws(BuildError) -> String {
        guard let value = layer.arguments.text(name) else { throw missing(name, "a text") }
        return value
    }

    func integers(_ name: String) throws(BuildError) -> [Int] {
        guard let value = layer.arguments.integers(name) else { throw missing(name, "a list of integers") }
        return value
    }

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

    /// `size(name)`, or nil for PyTorch's `None`.
    func optionalSize(_ name: String) throws(BuildError) -> IntOrPair? {
        layer.arguments[name] == ArgumentValue.none ? nil : try size(name)
    }

    /// `integer(name)`, or nil for PyTorch's `None`.
    func optionalInteger(_ name: String) throws(BuildError) -> Int? {
        layer.arguments[name] == ArgumentValue.none ? nil : try integer(name)
    }

    /// `real(name)`, or nil for PyTorch's `None` (BatchNorm's momentum: a cumulative average).
    func optionalReal(_ name: String) throws(BuildError) -> Double? {
        layer.arguments[name] == ArgumentValue.none ? nil : try real(name)
    }

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
