import Foundation

/// Replaces files so that a crash, a kill or a failed write never leaves a partial one.
enum AtomicFile {
    /// The temporary file `write(_:to:)` goes through: `.NAME.tmp` beside `path`.
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp").path
    }

    /// Writes `bytes` to the temporary file, flushes it to disk, then renames it over `path`, so
    /// `path` holds either its previous content or all of `bytes`. On failure the temporary file is
    /// removed, `path` is untouched, and the error names the file and the reason.
    static func write(_ bytes: Data, to path: String) throws(AtomicWriteError) {
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw AtomicWriteError(path: temporary, action: "create") }
        var failure: AtomicWriteError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else {
                    failure = AtomicWriteError(path: temporary, action: "write")
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = AtomicWriteError(path: temporary, action: "flush") }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = AtomicWriteError(path: path, action: "rename \(temporary) onto") }
        if let failure {
            unlink(temporary)
            throw failure
        }
        syncDirectory(of: path)
    }

    /// Flushes the directory entry of a renamed file (best effort: not every file system allows it).
    private static func syncDirectory(of path: String) {
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY)
        guard directory >= 0 else { return }
        fsync(directory)
        close(directory)
    }
}

/// A failed atomic write: `cannot write /run/x.tmp: No space left on device`.
struct AtomicWriteError: Error, CustomStringConvertible {
    let path: String
    let action: String
    let reason: String

    /// Captures `errno`'s message now.
    init(path: String, action: String) {
        self.path = path
        self.action = action
        self.reason = String(cString: strerror(errno))
    }

    var description: String { "cannot \(action) \(path): \(reason)" }
}
