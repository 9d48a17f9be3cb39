#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening a file that nnspec reads to its end: data files, specs. A FIFO would block for ever and
/// a device such as /dev/zero never ends, so only regular files are read (a directory fails at
/// its first read, as before).
///
/// The file is opened without blocking and checked on the open descriptor, so a FIFO cannot hang
/// the open and no rename between a check and the open can slip a device in.
public enum RegularFile {
    /// `path` opened for reading as a stdio stream; throws naming what it is when it is a FIFO, a
    /// device or a socket.
    public static func stream(at path: String) throws(DataFileError) -> UnsafeMutablePointer<FILE> {
        let descriptor = try descriptor(at: path)
        guard let file = fdopen(descriptor, "rb") else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw DataFileError(path: path, location: .file, message: "cannot open: \(reason)")
        }
        return file
    }

    /// `path` opened read-only as a descriptor (close-on-exec, blocking once checked), after the same check.
    public static func descriptor(at path: String) throws(DataFileError) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw DataFileError(path: path, location: .file, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw DataFileError(path: path, location: .file, message: "cannot read its status: \(reason)")
        }
        if let kind = specialKind(status.st_mode) {
            close(descriptor)
            throw DataFileError(path: path, location: .file, message: "cannot read it: it is \(kind), not a regular file")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }

    /// What a file of `mode` is when it is neither a regular file nor a directory ("a FIFO" …), or nil.
    public static func specialKind(_ mode: mode_t) -> String? {
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
