#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening a file that nnspec reads to its end: data files, specs. A FIFO would block for ever and
/// a device such as /dev/zero never ends, so those, and sockets, are refused without reading (a
/// directory fails at its first read, as before).
///
/// The file is opened without blocking and checked on the open descriptor, so a FIFO cannot hang
/// the open and no rename between a check and the open can slip a device in.
public enum RegularFile {
    /// Why a file was not opened.
    public enum Refusal: Error, Equatable {
        /// `open` failed with this `errno`.
        case cannotOpen(errno: Int32)
        /// The file is "a FIFO", "a character device" …
        case special(kind: String)

        /// "cannot open: No such file or directory", "cannot read it: it is a FIFO, not a regular file".
        public var message: String {
            switch self {
            case .cannotOpen(let code): "cannot open: \(String(cString: strerror(code)))"
            case .special(let kind): "cannot read it: it is \(kind), not a regular file"
            }
        }
    }

    /// `path` opened read-only (close-on-exec, blocking once checked), unless it is a FIFO, a
    /// device or a socket.
    public static func descriptor(at path: String) throws(Refusal) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(errno: errno) }
        var status = stat()
        if fstat(descriptor, &status) == 0, let kind = specialKind(status.st_mode) {
            close(descriptor)
            throw .special(kind: kind)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }

    /// `path` opened for reading as a stdio stream, after the same check.
    static func stream(at path: String) throws(DataFileError) -> UnsafeMutablePointer<FILE> {
        let descriptor: Int32
        do {
            descriptor = try self.descriptor(at: path)
        } catch {
            throw DataFileError(path: path, location: .file, message: error.message)
        }
        guard let file = fdopen(descriptor, "rb") else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw DataFileError(path: path, location: .file, message: "cannot open: \(reason)")
        }
        return file
    }

    /// What a file of `mode` is when it is neither a regular file nor a directory ("a FIFO" …), or nil.
    private static func specialKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG, S_IFDIR: nil
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }
}
