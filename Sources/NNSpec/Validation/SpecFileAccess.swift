/// Which files a spec may name: its data paths, `expect: train: init` and `golden:`.
///
/// A spec from someone else must not read a key two folders up and quote it in an error, nor
/// make `nnspec test --update` write a golden anywhere: the command line confines a spec's files
/// to the working directory and the spec's own directory (`--allow-outside` lifts it). Paths are
/// compared after resolving symbolic links, so a link inside the tree cannot lead out of it.
public enum SpecFileAccess: Sendable {
    /// Any path.
    case anywhere
    /// Only paths below the working directory or below the spec's directory.
    case belowWorkingOrSpecDirectory
}

extension SpecValidation {
    /// A path value (text) that `fileAccess` lets the spec name; nil, reported, otherwise.
    mutating func accessiblePath(_ node: YAMLNode, what: String) -> String? {
        guard let path = text(node, what: what), isAccessible(path, what: what, at: node) else { return nil }
        return path
    }

    /// True when `path` (as written in the spec) may be read or written under `fileAccess`;
    /// otherwise reports it at `node` without touching the file.
    private mutating func isAccessible(_ path: String, what: String, at node: YAMLNode) -> Bool {
        guard case .belowWorkingOrSpecDirectory = fileAccess else { return true }
        let roots = [".", baseDirectory.isEmpty ? "." : baseDirectory].compactMap(FileSystem.canonicalPath)
        if let canonical = FileSystem.canonicalPath(resolvedPath(path)),
            roots.contains(where: { FileSystem.isPath(canonical, below: $0) })
        {
            return true
        }
        diagnostics.error(
            "\(what) \(path) lies outside the spec's directory and the working directory, so nnspec does not use it",
            at: node, hint: "pass --allow-outside if you trust this spec, or move the file below the spec")
        return false
    }
}
