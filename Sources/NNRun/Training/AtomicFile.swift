import Foundation

/// Replaces files so that a crash, a kill or a failed write never leaves a partial one, and a file
/// planted beside the target (a symbolic link where the temporary file would go) is never written
/// through.
enum AtomicFile {
    /// Writes `bytes` to a new temporary file in `path`'s directory, flushes it to disk, then renames
    /// it over `path` (an `AtomicFileWriter` given one piece): `path` holds either its previous
    /// content or all of `bytes`. On failure the temporary file is removed, `path` is untouched, and
    /// the error names the file and reason.
    static func write(_ bytes: Data, to path: String, output: FileOutput = .system) throws(FileWriteError) {
        let writer = try AtomicFileWriter(path: path, output: output)
        try writer.append(bytes)
        try writer.commit()
    }
}

/// A file written in pieces that appears at its path only complete. The pieces go to a new temporary
/// file in the path's directory (`OutputPath.createTemporaryFile`: an unpredictable name, created
/// exclusively); `commit()` flushes it to disk and renames it over the path. Until then the path
/// keeps its previous content; a failed piece, `discard()`, or dropping the writer uncommitted
/// removes the temporary file.
final class AtomicFileWriter {
    let path: String
    private let temporary: String
    private let output: FileOutput
    private let descriptor: Int32
    private var isOpen = true

    /// Creates the temporary file beside `path`, which must be absent or a regular file (a link,
    /// device or FIFO there is refused).
    init(path: String, output: FileOutput = .system) throws(FileWriteError) {
        try OutputPath.requireReplaceable(path)
        let (descriptor, temporary) = try OutputPath.createTemporaryFile(
            in: OutputPath.directory(of: path), prefix: ".\(URL(fileURLWithPath: path).lastPathComponent).tmp")
        self.path = path
        self.temporary = temporary
        self.descriptor = descriptor
        self.output = output
        if fchmod(descriptor, 0o644 & ~Self.currentUmask()) != 0 {
            let failure = FileWriteError(path: temporary, action: "set the mode of")
            discard()
            throw failure
        }
    }

    deinit { discard() }

    /// Appends `bytes` to the temporary file; on failure the file is discarded.
    func append(_ bytes: Data) throws(FileWriteError) {
        do throws(FileWriteError) {
            try output.append(bytes, to: descriptor, path: temporary)
        } catch {
            discard()
            throw error
        }
    }

    /// Flushes the temporary file and renames it over `path`; on failure it is discarded and `path`
    /// is untouched.
    func commit() throws(FileWriteError) {
        var failure: FileWriteError?
        do throws(FileWriteError) {
            try output.flush(descriptor, path: temporary)
        } catch {
            failure = error
        }
        close(descriptor)
        isOpen = false
        if failure == nil, rename(temporary, path) != 0 { failure = FileWriteError(path: path, action: "rename \(temporary) onto") }
        if let failure {
            unlink(temporary)
            throw failure
        }
        Self.syncDirectory(OutputPath.directory(of: path))
    }

    /// Closes and removes the temporary file, leaving `path` as it was (nothing after a commit).
    func discard() {
        guard isOpen else { return }
        close(descriptor)
        unlink(temporary)
        isOpen = false
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
