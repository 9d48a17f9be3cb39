import Foundation

/// The system calls through which nnspec writes its files (weights, checkpoints, logs). Tests put in
/// failing ones (a full disk, an I/O error) to check that every write reports its failure.
struct FileOutput: Sendable {
    /// `write(2)`: bytes written, or -1 with `errno` set.
    var write: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int
    /// `fsync(2)`: 0, or -1 with `errno` set.
    var sync: @Sendable (_ descriptor: Int32) -> Int32

    /// The real system calls.
    static let system = FileOutput(write: { Foundation.write($0, $1, $2) }, sync: { fsync($0) })

    /// Writes all of `data` to `descriptor` (retrying after a signal), then flushes it to disk;
    /// throws naming `path` and the reason (`No space left on device`).
    func writeAll(_ data: Data, to descriptor: Int32, path: String) throws(FileWriteError) {
        try append(data, to: descriptor, path: path)
        try flush(descriptor, path: path)
    }

    /// Writes all of `data` to `descriptor` (retrying after a signal) without flushing it to disk.
    func append(_ data: Data, to descriptor: Int32, path: String) throws(FileWriteError) {
        let failure = data.withUnsafeBytes { bytes -> FileWriteError? in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else {
                    if written == 0 { errno = EIO }
                    return FileWriteError(path: path, action: "write")
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Flushes what was written to `descriptor` to disk.
    func flush(_ descriptor: Int32, path: String) throws(FileWriteError) {
        guard sync(descriptor) == 0 else { throw FileWriteError(path: path, action: "flush") }
    }
}

/// A failed write: `cannot write /run/.log.csv.tmp.Xa81Qz: No space left on device`.
struct FileWriteError: Error, CustomStringConvertible {
    let path: String
    let action: String
    let reason: String

    /// Captures `errno`'s message now.
    init(path: String, action: String) {
        self.path = path
        self.action = action
        self.reason = String(cString: strerror(errno))
    }

    init(path: String, action: String, reason: String) {
        self.path = path
        self.action = action
        self.reason = reason
    }

    var description: String { "cannot \(action) \(path): \(reason)" }
}
