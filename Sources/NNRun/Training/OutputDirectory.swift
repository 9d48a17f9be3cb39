import Foundation

/// The directories nnspec writes into (`--report`, `--tensorboard`).
enum OutputDirectory {
    /// Creates `path` (and its parents) unless it exists; throws when it exists and is not a
    /// directory (a symbolic link is not followed) or when no file can be created in it.
    static func create(_ path: String) throws(FileWriteError) {
        var status = stat()
        if lstat(path, &status) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw FileWriteError(path: path, action: "create the directory", reason: (error as NSError).localizedDescription)
            }
        } else if status.st_mode & S_IFMT != S_IFDIR {
            throw FileWriteError(path: path, action: "write into", reason: "it is not a directory")
        }
        try OutputPath.requireWritableDirectory(path)
    }
}
