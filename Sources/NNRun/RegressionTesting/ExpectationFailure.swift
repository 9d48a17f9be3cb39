/// One way a spec fails its test, stated as what was expected and what was seen.
public struct ExpectationFailure: Sendable, Equatable, Codable {
    /// The spec line that states the expectation (1-based); nil when no line applies.
    public var line: Int?
    /// "expected …, but …": both sides, with the values and line numbers involved.
    public var message: String

    public init(line: Int?, _ message: String) {
        self.line = line
        self.message = message
    }
}
