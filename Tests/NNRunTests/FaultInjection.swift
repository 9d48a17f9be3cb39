import Foundation
@testable import NNRun

/// Write system calls that fail from the `failingCall`-th call on (1-based, counting `write` and
/// `fsync` calls separately as `on` says), setting `errno`: a disk that fills up (`ENOSPC` on
/// write) or a device that fails (`EIO` on fsync). Calls before it go to the real system calls.
final class FailingOutput: @unchecked Sendable {
    enum Call { case write, sync }

    private let lock = NSLock()
    private var calls = 0
    let failingCall: Int
    let code: Int32
    let call: Call

    init(failingCall: Int, errno code: Int32, on call: Call = .write) {
        self.failingCall = failingCall
        self.code = code
        self.call = call
    }

    /// Whether the next call of kind `kind` fails.
    private func fails(_ kind: Call) -> Bool {
        guard kind == call else { return false }
        return lock.withLock {
            calls += 1
            return calls >= failingCall
        }
    }

    var output: FileOutput {
        FileOutput(
            write: { descriptor, bytes, count in
                guard !self.fails(.write) else {
                    errno = self.code
                    return -1
                }
                return FileOutput.system.write(descriptor, bytes, count)
            },
            sync: { descriptor in
                guard !self.fails(.sync) else {
                    errno = self.code
                    return -1
                }
                return FileOutput.system.sync(descriptor)
            })
    }
}

/// A file-system object that is not a regular file, made at `path` for a test.
enum SpecialFile {
    case symbolicLink(to: String)
    case fifo

    func make(at path: String) throws {
        switch self {
        case .symbolicLink(let target):
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        case .fifo:
            guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }
}

/// A directory in which no file can be created: as root (whom permissions do not stop) a read-only
/// tmpfs mounted for the test, otherwise a directory of mode 0555.
final class ReadOnlyDirectory {
    let path: String
    private let mounted: Bool

    init(inside scratch: ScratchDirectory) throws {
        path = scratch.path("read-only")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        mounted = getuid() == 0
        if mounted {
            let mount = Process()
            mount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            mount.arguments = ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", path]
            try mount.run()
            mount.waitUntilExit()
            guard mount.terminationStatus == 0 else { throw ReadOnlyDirectoryUnavailable() }
        } else {
            chmod(path, 0o555)
        }
    }

    deinit {
        if mounted {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            unmount.arguments = ["umount", path]
            try? unmount.run()
            unmount.waitUntilExit()
        } else {
            chmod(path, 0o755)
        }
    }
}

struct ReadOnlyDirectoryUnavailable: Error, CustomStringConvertible {
    var description: String { "running as root, and mounting a read-only tmpfs failed: no read-only directory to test with" }
}
