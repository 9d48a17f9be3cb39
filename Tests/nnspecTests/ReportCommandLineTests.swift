import Foundation
import Testing

/// `nnspec train --report/--tensorboard --format json` and `nnspec report` as the built binary.
@Suite struct ReportCommandLineTests {
    @Test func trainWritesTheRecordsAndReportRedrawsThem() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "nnspec-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appending(path: "report").path, events = directory.appending(path: "tb").path
        let train = try NNSpecBinary.run(["train", "examples/lenet.yaml", "--steps", "3", "--report", report,
                                          "--tensorboard", events, "--format", "json"])
        #expect(train.status == 0, "\(train.standardError)")
        #expect(train.standardOutput.hasPrefix("{\n  \"format\": \"nnspec.train/1\",\n  \"status\": \"finished\","))
        #expect(try FileManager.default.contentsOfDirectory(atPath: report).sorted() == ["index.html", "log.csv", "run.json"])
        let eventFiles = try FileManager.default.contentsOfDirectory(atPath: events)
        #expect(eventFiles.count == 1 && eventFiles[0].hasPrefix("events.out.tfevents."))

        let again = directory.appending(path: "again").path
        let redraw = try NNSpecBinary.run(["report", "\(report)/log.csv", "--output", again])
        #expect(redraw.status == 0, "\(redraw.standardError)")
        #expect(redraw.standardOutput == "report written to \(again)/index.html\n")

        let missing = try NNSpecBinary.run(["report", directory.appending(path: "absent.csv").path, "--output", again])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasPrefix("error: \(directory.appending(path: "absent.csv").path): cannot open"))
        let usage = try NNSpecBinary.run(["report", "\(report)/log.csv"])
        #expect(usage.status == 64, "--output is required")
    }
}
