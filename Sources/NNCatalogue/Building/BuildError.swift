import NNSpec

/// A validated spec that cannot be turned into modules; names the layer or component and where
/// the spec writes it.
public struct BuildError: Error, Equatable, CustomStringConvertible {
    /// Where the spec writes the offending layer, when one is to blame.
    public let mark: SourceMark?
    public let message: String

    public init(mark: SourceMark?, message: String) {
        self.mark = mark
        self.message = message
    }

    public var description: String { (mark.map { "\($0): " } ?? "") + message }
}
