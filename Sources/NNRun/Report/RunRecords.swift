import Foundation
import NNSpec

/// The records of a run besides its `--log`: the report (`--report DIR`) and the TensorBoard event
/// file (`--tensorboard DIR`). Both places are checked and created before the first step.
final class RunRecords {
    let report: ReportDirectory?
    let tensorBoard: TensorBoardWriter?
    private let recorder: RunRecorder?
    private let clock: @Sendable () -> Double
    /// Seconds since 1970 when training began (`markStart()`).
    private(set) var started: Double

    var observers: [any TrainingObserver] { ([recorder, tensorBoard] as [(any TrainingObserver)?]).compactMap { $0 } }

    init(options: TrainingOptions, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws(TrainingError) {
        self.clock = clock
        started = clock()
        report = try options.reportDirectory.map { (path) throws(TrainingError) in
            do throws(ReportError) {
                return try ReportDirectory(path: path, writing: [ReportDirectory.page, ReportDirectory.log, ReportDirectory.facts],
                                           force: options.force, output: options.fileOutput)
            } catch {
                throw .invalidOption("--report \(path): \(error)")
            }
        }
        recorder = report == nil ? nil : RunRecorder(clock: clock)
        tensorBoard = try options.tensorBoardDirectory.map { (directory) throws(TrainingError) in
            try TensorBoardWriter(directory: directory, output: options.fileOutput, clock: clock)
        }
    }

    /// Notes the instant the first step starts, from which the report times the epochs.
    func markStart() { started = clock() }

    /// Writes the report of the stopped run: `index.html`, `log.csv` (the `--log` file's rows when
    /// there is one, so a resumed run's report holds the rows before it too) and `run.json`.
    func writeReport(facts: RunFacts, spec: ValidatedSpec, options: TrainingOptions) throws(TrainingError) {
        guard let report, let recorder else { return }
        var csv = recorder.csv
        var notes: [String] = []
        if let path = options.logFile, let logged = try? String(contentsOfFile: path, encoding: .utf8) {
            csv = logged
        } else if options.resumeDirectory != nil {
            notes.append("A resumed run without --log: the rows before this process's first step are not shown.")
        }
        do throws(ReportError) {
            var page = RunReport(history: try RunHistory.parse(csv: csv, file: report.file(ReportDirectory.log)), facts: facts, spec: spec)
            page.notes = notes
            try report.write(csv, as: ReportDirectory.log)
            try report.write(String(decoding: facts.json(), as: UTF8.self), as: ReportDirectory.facts)
            try report.write(page.html(), as: ReportDirectory.page)
        } catch {
            throw .output("--report \(report.path): \(error)")
        }
    }
}
