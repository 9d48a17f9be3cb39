import Foundation

/// Checks on the places nnspec writes (`--save`, `--log`, the checkpoint file), made before the first
/// training step so that a run never trains to the end and then cannot save.
enum OutputPath {
    /// The directory `path` is in (`.` for a bare file name).
    static func directory(of path: String) -> String {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return directory.isEmpty ? "." : directory
    }

    /// Throws unless `path` is absent or a regular file: a symbolic link, device, FIFO, socket or
    /// directory there is never replaced, not even with `--force`.
    static func requireReplaceable(_ path: String) throws(FileWriteError) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            guard errno == ENOENT else { throw FileWriteError(path: path, action: "inspect") }
            return
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw FileWriteError(path: path, action: "replace", reason: "it is \(describe(type)), not a regular file")
        }
    }

    /// Throws unless `path` can be written now: it is absent or a regular file
    /// (`requireReplaceable`) and its directory takes a new file (`requireWritableDirectory`).
    static func requireWritable(_ path: String) throws(FileWriteError) {
        try requireReplaceable(path)
        try requireWritableDirectory(directory(of: path))
    }

    /// Whether a regular file exists at `path` (not following a symbolic link).
    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// Throws unless a file can be created in `directory` now: creates an empty temporary file there
    /// and removes it (which also catches a read-only file system and a full inode table).
    static func requireWritableDirectory(_ directory: String) throws(FileWriteError) {
        let (descriptor, path) = try createTemporaryFile(in: directory, prefix: ".nnspec-write-check")
        close(descriptor)
        unlink(path)
    }

    /// Creates `directory/PREFIX.XXXXXX` with `mkstemp` (an unpredictable name, created exclusively,
    /// so no existing file or symbolic link is ever opened), mode 0600, closed on exec; returns its
    /// descriptor, open for writing, and its path.
    static func createTemporaryFile(in directory: String, prefix: String) throws(FileWriteError) -> (descriptor: Int32, path: String) {
        var template = Array("\(directory)/\(prefix).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileWriteError(path: directory, action: "create a file in") }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        let name = template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (descriptor, String(decoding: name, as: UTF8.self))
    }

    private static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFLNK: "a symbolic link"
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }
}
