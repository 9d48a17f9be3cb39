import Foundation

/// A regular file opened for reading at explicit offsets. Opening never blocks: a FIFO, device,
/// socket or directory is refused with an error naming the path (a symbolic link to a regular file
/// is followed).
final class ReadOnlyFile {
    let path: String
    /// The file's size in bytes when it was opened.
    let size: Int
    private let descriptor: Int32

    init(regularFileAt path: String) throws(SafetensorsError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, message: "cannot read: \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw .io(path: path, message: "cannot read: not a regular file")
        }
        self.descriptor = descriptor
        size = Int(status.st_size)
    }

    /// Fills `bytes` from file offset `offset`; throws if the file ends first (it shrank) or a read fails.
    func read(into bytes: inout [UInt8], at offset: Int) throws(SafetensorsError) {
        var done = 0
        var failure: String?
        bytes.withUnsafeMutableBytes { buffer in
            while done < buffer.count {
                let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    failure = count == 0 ? "the file ends at byte \(offset + done), before the \(buffer.count - done) bytes expected there"
                                         : String(cString: strerror(errno))
                    return
                }
                done += count
            }
        }
        if let failure { throw .io(path: path, message: "cannot read: \(failure)") }
    }

    deinit { close(descriptor) }
}
