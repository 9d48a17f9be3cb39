/// Why a regression run could not start or a golden file could not be used.
public struct RegressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
