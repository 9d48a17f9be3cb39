import Foundation

/// Finds the spec files below the paths a user names: a file is taken as given, a folder is
/// searched recursively for `.yaml` and `.yml` files (hidden entries skipped). The result is sorted
/// by path and free of duplicates, so every run visits specs in the same order.
public enum SpecDiscovery {
    public static let extensions = ["yaml", "yml"]

    /// The spec files below `paths`, keeping only those whose path matches `filter` when given.
    /// Throws naming the first path that does not exist.
    public static func specFiles(under paths: [String], matching filter: Regex<AnyRegexOutput>? = nil) throws(RegressionError) -> [String] {
        var found = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw RegressionError("no such file or folder: \(path)")
            }
            if isDirectory.boolValue {
                found.formUnion(specFiles(inFolder: path))
            } else {
                found.insert(path)
            }
        }
        let sorted = found.sorted()
        guard let filter else { return sorted }
        return sorted.filter { $0.contains(filter) }
    }

    /// The spec files in `folder` and its subfolders, named with `folder` as their prefix.
    private static func specFiles(inFolder folder: String) -> [String] {
        let prefix = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        guard let entries = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = entries.nextObject() as? String {
            let components = relative.split(separator: "/")
            if components.contains(where: { $0.hasPrefix(".") }) { continue }
            guard let last = components.last, let dot = last.lastIndex(of: "."),
                extensions.contains(String(last[last.index(after: dot)...]).lowercased())
            else { continue }
            files.append("\(prefix)/\(relative)")
        }
        return files
    }
}
