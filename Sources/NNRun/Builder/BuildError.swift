import NNSpec

/// A validated spec that cannot be turned into modules; names the layer and where the spec
/// writes it.
public struct BuildError: Error, Equatable, CustomStringConvertible {
    /// Where the spec writes the offending layer, when one is to blame.
    public let mark: SourceMark?
    public let message: String

    public init(mark: SourceMark?, message: String) {
        self.mark = mark
        self.message = message
    }

    /// The error of `layer`: `LINE:COLUMN: layer NAME (TYPE): MESSAGE`.
    init(layer: ResolvedLayer, _ message: String) {
        self.init(mark: layer.mark, message: "layer \(layer.name) (\(layer.typeName)): \(message)")
    }

    public var description: String { (mark.map { "\($0): " } ?? "") + message }
}
