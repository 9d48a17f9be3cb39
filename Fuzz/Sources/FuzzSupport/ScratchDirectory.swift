import Foundation

/// Files for the readers that take a path: one directory per fuzzing process, in memory (/dev/shm)
/// where there is one, else in the temporary folder; removed when the process exits normally (a
/// crash leaves it for inspection).
public enum ScratchDirectory {
    /// The directory's path, made on first use.
    public static let path: String = {
        let parent = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        var template = Array((parent + "nnspec-fuzz-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("cannot make a scratch directory: \(String(cString: strerror(errno)))") }
        let path = String(cString: made)
        atexit { try? FileManager.default.removeItem(atPath: ScratchDirectory.path) }
        return path
    }()

    /// Writes `bytes` to `name` in the scratch directory (replacing it) and returns its path.
    public static func write(_ bytes: some Collection<UInt8>, named name: String) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
            fatalError("cannot write the scratch file \(file)")
        }
        return file
    }
}
