import Foundation

/// Text files nnspec generates for people and tools (`nnspec graph --output`, `nnspec test --junit`),
/// written atomically. An existing file is replaced only when nnspec wrote it, recognised by
/// `marker` in its first kilobyte, or with `force`; never a link, FIFO or device.
public enum GeneratedFile {
    /// Why a generated file was not written: the path and the reason, for an "error: …" line.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// True when the file exists and is not nnspec's: `force` would replace it.
        public var isForeignFile = false
    }

    /// Throws unless `write` could put a file at `path` now: checked before long work, so that
    /// nothing runs to the end and then cannot be written.
    public static func checkWritable(_ path: String, marker: String, force: Bool = false) throws(Failure) {
        do throws(FileWriteError) {
            try OutputPath.requireReplaceable(path)
        } catch {
            throw Failure(description: error.description)
        }
        if !force, OutputPath.isRegularFile(path), !containsMarker(path, marker) {
            throw Failure(description: "cannot replace \(path): the file exists and was not written by nnspec, so it is left alone",
                          isForeignFile: true)
        }
        do throws(FileWriteError) {
            try OutputPath.requireWritableDirectory(OutputPath.directory(of: path))
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Writes `text` to `path` (all of it or nothing), after `checkWritable`.
    public static func write(_ text: String, to path: String, marker: String, force: Bool = false) throws(Failure) {
        try checkWritable(path, marker: marker, force: force)
        do throws(FileWriteError) {
            try AtomicFile.write(Data(text.utf8), to: path)
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Whether `marker` occurs in the first kilobyte of the file at `path`.
    private static func containsMarker(_ path: String, _ marker: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1024)) ?? Data()
        return String(decoding: head, as: UTF8.self).contains(marker)
    }
}
