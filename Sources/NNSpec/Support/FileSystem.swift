#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NNData

/// The few file operations validation needs, on POSIX calls: NNSpec does not load Foundation,
/// so `nnspec validate` starts fast and small.
enum FileSystem {
    /// Why a file could not be read.
    enum Failure: Error, Equatable {
        case missing
        case unreadable(String)
    }

    /// Up to `limit` bytes from the start of the file (the whole file by default); a FIFO, device
    /// or socket is refused without reading (a FIFO would block, /dev/zero never ends).
    static func contents(atPath path: String, limit: Int = Int.max) throws(Failure) -> [UInt8] {
        let descriptor: Int32
        do {
            descriptor = try RegularFile.descriptor(at: path)
        } catch {
            switch error {
            case .cannotOpen(let code) where code == ENOENT || code == ENOTDIR: throw .missing
            case .cannotOpen(let code): throw .unreadable("cannot open it: \(String(cString: strerror(code)))")
            case .special: throw .unreadable(error.message)
            }
        }
        defer { close(descriptor) }
        return try contents(of: descriptor, limit: limit)
    }

    /// Up to `limit` bytes from `descriptor` until its end (standard input: a file, pipe or terminal).
    static func contents(of descriptor: Int32, limit: Int = Int.max) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable("cannot read it: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }

    /// True when something exists at `path` (a file, a directory, or a link to one).
    static func exists(atPath path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// The directory part of a path ("" for a bare file name), as relative data paths are joined to it.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension FileSystem {
    /// The absolute form of `path` with symbolic links, `.` and `..` resolved, also when its last
    /// components do not exist yet (a golden to be recorded); nil when that cannot be told (a `..`
    /// after a missing component, an unreadable directory).
    static func canonicalPath(_ path: String) -> String? {
        var existing = path.isEmpty ? "." : path
        var missing: [Substring] = []
        while true {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                let base = String(cString: resolved)
                let rest = missing.reversed().filter { $0 != "." && !$0.isEmpty }
                guard !rest.contains("..") else { return nil }
                return rest.reduce(base) { $0 == "/" ? "/" + $1 : $0 + "/" + $1 }
            }
            guard errno == ENOENT else { return nil }
            if let slash = existing.lastIndex(of: "/") {
                missing.append(existing[existing.index(after: slash)...])
                existing = slash == existing.startIndex ? "/" : String(existing[..<slash])
            } else {
                missing.append(Substring(existing))
                existing = "."
            }
        }
    }

    /// True when the canonical `path` is `directory` or lies below it (both canonical).
    static func isPath(_ path: String, below directory: String) -> Bool {
        directory == "/" || path == directory || path.hasPrefix(directory + "/")
    }
}
