import Foundation

/// The directory a report is written into (`train --report DIR`, `nnspec report --output DIR`). It
/// is created when missing; a file of the report's that exists is replaced only when nnspec wrote it
/// (recognised by its content) or with `force`, and never when it is a link, FIFO or device. Files
/// are written atomically (`AtomicFile`).
struct ReportDirectory {
    static let page = "index.html"
    static let log = "log.csv"
    static let facts = "run.json"

    let path: String
    let force: Bool
    let output: FileOutput

    /// Creates the directory and checks, before anything is trained or written, that each of
    /// `names` can be written there.
    init(path: String, writing names: [String], force: Bool, output: FileOutput = .system) throws(ReportError) {
        self.path = path
        self.force = force
        self.output = output
        do throws(FileWriteError) {
            try OutputDirectory.create(path)
            for name in names { try OutputPath.requireReplaceable(file(name)) }
        } catch {
            throw ReportError("\(error)")
        }
        for name in names where !force && OutputPath.isRegularFile(file(name)) && !Self.isWrittenByNNSpec(file(name), name: name) {
            throw ReportError("\(file(name)) exists and nnspec did not write it; pass --force to replace it")
        }
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func write(_ text: String, as name: String) throws(ReportError) {
        do throws(FileWriteError) {
            try AtomicFile.write(Data(text.utf8), to: file(name), output: output)
        } catch {
            throw ReportError("\(error)")
        }
    }

    /// Whether the file at `path` is one nnspec writes under `name`: a page with the generator mark,
    /// a training log, a run record.
    static func isWrittenByNNSpec(_ path: String, name: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        let text = String(decoding: data.prefix(4096), as: UTF8.self)
        switch name {
        case page: return text.contains(RunReport.generatorMark)
        case log: return text.hasPrefix(TrainingLog.header) || text.hasPrefix(TrainingLog.firstFormatHeader)
        case facts: return (try? RunFacts.read(data, file: path)) != nil
        default: return false
        }
    }
}
