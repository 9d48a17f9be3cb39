import Foundation
import NNData
import NNSpec

/// `nnspec report LOG.csv --output DIR`: the report of a run drawn again from its log, with the
/// facts of its `run.json` (`--run FILE`, else `run.json` beside the log when there is one) and
/// the network of its spec (`--spec FILE`, else the spec the facts name, when it is still valid).
public enum ReportRedraw {
    public struct Request: Sendable {
        public var log: String
        public var output: String
        public var spec: String?
        public var facts: String?
        public var force = false
        public var lossScale = LossScale.auto
        public var fileAccess = SpecFileAccess.anywhere

        public init(log: String, output: String) {
            self.log = log
            self.output = output
        }
    }

    /// Writes `output/index.html`; returns its path. Errors name the file (and line and column).
    public static func run(_ request: Request) throws(ReportError) -> String {
        let directory = try ReportDirectory(path: request.output, writing: [ReportDirectory.page], force: request.force)
        let history = try RunHistory.parse(csv: try readText(request.log), file: request.log)
        var notes: [String] = []
        let besideLog = OutputPath.directory(of: request.log) + "/" + ReportDirectory.facts
        let factsPath = request.facts ?? (OutputPath.isRegularFile(besideLog) ? besideLog : nil)
        let facts = try factsPath.map { (path) throws(ReportError) in try RunFacts.read(Data(try readText(path).utf8), file: path) }
        if facts == nil { notes.append("No run.json beside the log (or --run): settings, timings and the confusion matrix are not shown.") }
        var spec: ValidatedSpec?
        if let path = request.spec {
            let validation = SpecValidator.standard.validate(file: path, fileAccess: request.fileAccess)
            guard let valid = validation.spec else {
                throw ReportError(DiagnosticTextRenderer(colored: false).render(validation.diagnostics, source: validation.source)
                                  + "\(path) is not a valid spec")
            }
            spec = valid
        } else if let named = facts?.spec {
            spec = SpecValidator.standard.validate(file: named, fileAccess: request.fileAccess).spec
            if spec == nil { notes.append("The spec \(named) is missing or no longer valid: the network is not shown (give it with --spec).") }
        } else {
            notes.append("No spec (--spec): the network is not shown.")
        }
        var report = RunReport(history: history, facts: facts, spec: spec)
        report.lossScale = request.lossScale
        report.notes = notes
        try directory.write(report.html(), as: ReportDirectory.page)
        return directory.file(ReportDirectory.page)
    }

    /// The UTF-8 text of a regular file (a FIFO or device is refused, not waited on).
    private static func readText(_ path: String) throws(ReportError) -> String {
        let descriptor: Int32
        do throws(RegularFile.Refusal) {
            descriptor = try RegularFile.descriptor(at: path)
        } catch {
            throw ReportError("\(path): \(error.message)")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            guard let data = try handle.readToEnd(), let text = String(data: data, encoding: .utf8) else {
                throw ReportError("\(path): the file is empty or not UTF-8 text")
            }
            return text
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError("\(path): cannot read it: \(error.localizedDescription)")
        }
    }
}
