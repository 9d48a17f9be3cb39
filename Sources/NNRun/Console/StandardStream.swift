#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output or error, written unbuffered with write(2): each text reaches the stream before
/// the call returns, in call order across both streams.
struct StandardStream: Sendable {
    let fileDescriptor: Int32

    static let output = StandardStream(fileDescriptor: STDOUT_FILENO)
    static let error = StandardStream(fileDescriptor: STDERR_FILENO)

    var isTerminal: Bool { isatty(fileDescriptor) == 1 }

    /// Writes all of `text`, continuing after partial writes and signals; when the stream is gone
    /// (a closed pipe, a full disk) the rest is dropped: there is nowhere left to report it.
    @Sendable func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var written = 0
            while written < bytes.count {
                let count = systemWrite(fileDescriptor, bytes.baseAddress! + written, bytes.count - written)
                if count > 0 {
                    written += count
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

/// The C library's write(2), under a name the method above does not shadow.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
