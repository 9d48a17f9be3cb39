import Foundation
import NN

/// The files `nnspec export` writes and how it replaces them: a file it wrote before (its first line
/// is nnspec's marker, or a weights file with nnspec's metadata) is replaced; any other existing
/// file only with `--force`; a link, FIFO or device never. Every file is checked before the first is
/// written, and each is written atomically (`AtomicFile`), so a refused or failed export loses nothing.
struct ExportedFile {
    /// The first line of every Python file export writes.
    static let pythonMarker = "# Written by nnspec export: it replaces this file when run again (others only with --force)."
    /// The first line of the README export writes.
    static let markdownMarker = "<!-- Written by nnspec export: it replaces this file when run again (others only with --force). -->"

    /// How an ONNX model nnspec wrote begins: ir_version 8, then producer_name "nnspec" (fields 1 and 2,
    /// which protobuf serialisation writes first).
    static let onnxPrefix = Data([0x08, 0x08, 0x12, 0x06]) + Data("nnspec".utf8)

    /// The file's name inside the output directory.
    let name: String
    let bytes: Data

    /// Whether the file at `path` was written by nnspec (export's marker, an ONNX model nnspec produced,
    /// or nnspec's weights metadata).
    static func isWrittenByNNSpec(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 256)) ?? Data()
        let firstLine = String(decoding: start.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        if firstLine == pythonMarker || firstLine == markdownMarker || start.starts(with: onnxPrefix) { return true }
        return (try? SafetensorsReader(path: path))?.metadata[WeightsFile.markerKey] != nil
    }

    /// Writes `files` into `directory` (created, with its parents, when absent), after checking that each may be replaced.
    static func write(_ files: [ExportedFile], into directory: String, force: Bool, output: FileOutput = .system) throws(ExportError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ExportError(file: directory, "the output exists and is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ExportError(file: directory, "cannot create the output directory: \(error.localizedDescription)")
            }
        }
        for file in files { try checkReplaceable(directory + "/" + file.name, force: force) }
        for file in files {
            do throws(FileWriteError) {
                try AtomicFile.write(file.bytes, to: directory + "/" + file.name, output: output)
            } catch {
                throw ExportError(file: directory + "/" + file.name, error.description)
            }
        }
    }

    /// Throws unless `path` may be written now: its directory takes new files, and it is absent, or a
    /// regular file nnspec wrote, or a regular file and `force`.
    static func checkReplaceable(_ path: String, force: Bool) throws(ExportError) {
        do throws(FileWriteError) {
            try OutputPath.requireReplaceable(path)
            try OutputPath.requireWritableDirectory(OutputPath.directory(of: path))
        } catch {
            throw ExportError(file: path, error.description)
        }
        guard force || !OutputPath.isRegularFile(path) || isWrittenByNNSpec(path) else {
            throw ExportError(file: path, "the file exists and was not written by nnspec; pass --force to replace it")
        }
    }

    /// `path` made absolute against the working directory, without `.` and `..` components.
    static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
            .standardizedFileURL.path
    }

    /// The relative path from the absolute directory `base` to the absolute `path` (`../data/x.csv`).
    static func relativePath(from base: String, to path: String) -> String {
        let baseParts = base.split(separator: "/"), pathParts = path.split(separator: "/")
        var common = 0
        while common < min(baseParts.count, pathParts.count), baseParts[common] == pathParts[common] { common += 1 }
        let parts = Array(repeating: "..", count: baseParts.count - common) + pathParts[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
