/// `--color auto|always|never`: whether text may carry ANSI colours.
public enum ColorChoice: String, CaseIterable, Sendable {
    /// Colour on a terminal, unless `NO_COLOR` is set and not empty or `TERM` is `dumb`.
    case auto
    /// Colour whatever the stream and the environment (an explicit request overrides `NO_COLOR`).
    case always
    /// No colour.
    case never

    /// Whether a stream that is a terminal or not (`terminal`) gets colour under `environment`.
    public func colors(terminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: terminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
    }
}
