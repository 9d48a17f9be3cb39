import Foundation

/// Replaces files so that a crash, a kill or a failed write never leaves a partial one, and a file
/// planted beside the target (a symbolic link where the temporary file would go) is never written
/// through.
enum AtomicFile {
    /// Writes `bytes` to a new temporary file in `path`'s directory (`OutputPath.createTemporaryFile`:
    /// an unpredictable name, created exclusively), flushes it to disk, then
    /// renames it over `path`: `path` holds either its previous content or all of `bytes`. `path`
    /// itself must be absent or a regular file (a link, device or FIFO there is refused). On failure
    /// the temporary file is removed, `path` is untouched, and the error names the file and reason.
    static func write(_ bytes: Data, to path: String, output: FileOutput = .system) throws(FileWriteError) {
        try OutputPath.requireReplaceable(path)
        let directory = OutputPath.directory(of: path)
        let (descriptor, temporary) = try OutputPath.createTemporaryFile(
            in: directory, prefix: ".\(URL(fileURLWithPath: path).lastPathComponent).tmp")
        var failure: FileWriteError?
        if fchmod(descriptor, 0o644 & ~currentUmask()) != 0 { failure = FileWriteError(path: temporary, action: "set the mode of") }
        if failure == nil {
            do throws(FileWriteError) {
                try output.writeAll(bytes, to: descriptor, path: temporary)
            } catch {
                failure = error
            }
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = FileWriteError(path: path, action: "rename \(temporary) onto") }
        if let failure {
            unlink(temporary)
            throw failure
        }
        syncDirectory(directory)
    }

    /// Flushes the directory entry of a renamed file (best effort: not every file system allows it).
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// The process's file-creation mask (read by setting it and putting it back).
    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
