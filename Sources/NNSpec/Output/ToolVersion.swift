/// nnspec's version: `nnspec --version` prints it and every JSON document carries it as
/// `nnspec_version`. The one place it is written.
public enum ToolVersion {
    public static let current = "0.1.0"
}

/// The names of nnspec's JSON documents: each is an object whose first field is
/// `"format": "nnspec.<kind>/<version>"` (docs/json-output.md describes every kind). A reader
/// checks it before reading on; a change that removes or retypes a field raises the version.
public enum JSONFormat {
    /// "nnspec.validate/1", "nnspec.summary/1", "nnspec.test/1".
    public static func identifier(_ kind: String, version: Int = 1) -> String { "nnspec.\(kind)/\(version)" }
}
