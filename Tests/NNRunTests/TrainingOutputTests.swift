import Foundation
import Testing
@testable import NNRun

/// The log's columns across formats, and `train --format json`.
@Suite struct TrainingOutputTests {
    let scratch: ScratchDirectory
    let specPath: String

    init() throws { (scratch, specPath) = try scratchWithSmallSpec() }

    /// Epoch rows carry the test metrics, the mean training loss and the wall time; step rows keep
    /// the first format's six columns (and end in `,,`).
    @Test func epochRowsHoldTrainLossAndWallTime() throws {
        let log = scratch.path("log.csv")
        let before = Date().timeIntervalSince1970
        #expect(runTrain(specPath) { $0.logFile = log; $0.quiet = true }.status == 0)
        let rows = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "step,epoch,loss,lr,test_loss,test_accuracy,train_loss,wall_time")
        let epochRows = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }.filter { $0[2].isEmpty }
        #expect(epochRows.count == 3 && epochRows.allSatisfy { $0.count == 8 })
        for row in epochRows {
            #expect(Double(row[6]).map { $0 > 0 } == true, "train_loss")
            #expect(Double(row[7]).map { $0 >= before.rounded(.down) && $0 <= Date().timeIntervalSince1970 } == true, "wall_time")
        }
    }

    /// A run resumed with a log of the first format pads its kept rows to the new columns.
    @Test func resumingUpgradesALogOfTheFirstFormat() throws {
        let log = scratch.path("log.csv"), directory = scratch.path("checkpoints")
        #expect(runTrain(specPath) { $0.steps = 5; $0.checkpointDirectory = directory; $0.quiet = true }.status == 0)
        try Data("step,epoch,loss,lr,test_loss,test_accuracy\n1,1,1.5,0.01,,\n5,1,1.25,0.01,,\n6,1,9,0.01,,\n".utf8)
            .write(to: URL(fileURLWithPath: log))
        let resumed = runTrain(specPath) { $0.logFile = log; $0.resumeDirectory = directory; $0.quiet = true }
        #expect(resumed.status == 0, "\(resumed.error)")
        let rows = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(Array(rows.prefix(3)) == ["step,epoch,loss,lr,test_loss,test_accuracy,train_loss,wall_time",
                                          "1,1,1.5,0.01,,,,", "5,1,1.25,0.01,,,,"])
        #expect(rows[3].hasPrefix("6,1,") && rows[3] != "6,1,9,0.01,,,,")
        #expect(try RunHistory.parse(csv: String(contentsOfFile: log, encoding: .utf8), file: log).steps.count == 2 + 19, "rows 1 and 5 kept, steps 6 to 24 appended")
    }

    /// `--format json`: only the object on standard output, with its documented keys.
    @Test func jsonReportHasItsShape() throws {
        let report = scratch.path("report")
        let run = runTrain(specPath) { $0.format = .json; $0.reportDirectory = report; $0.logFile = scratch.path("run.csv") }
        #expect(run.status == 0, "\(run.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["format", "status", "spec", "error", "name", "metrics", "timings", "hyperparameters", "paths"])
        #expect(object["format"] as? String == "nnspec.train/1" && object["status"] as? String == "finished")
        #expect(object["error"] is NSNull && object["name"] as? String == "Small")
        let metrics = try #require(object["metrics"] as? [String: Any])
        #expect(Set(metrics.keys) == ["step", "total_steps", "final_loss", "test_loss", "test_accuracy"])
        #expect(metrics["step"] as? Int == 24 && (metrics["test_accuracy"] as? Double).map { (0 ... 1).contains($0) } == true)
        let timings = try #require(object["timings"] as? [String: Any])
        #expect(Set(timings.keys) == ["started", "total_seconds", "training_seconds", "images", "images_per_second"])
        #expect(timings["images"] as? Int == 24 * 8 - 3 * 4, "60 samples an epoch in batches of 8, the last of 4")
        let paths = try #require(object["paths"] as? [String: Any])
        #expect(paths["report"] as? String == "\(report)/index.html" && paths["log"] as? String == scratch.path("run.csv"))
        #expect(paths["save"] is NSNull && paths["tensorboard"] is NSNull)
    }

    /// A SequentialLR shows its schedulers after its own arguments.
    @Test func sequentialLRListsItsSchedulers() throws {
        let spec = repositoryRoot.appendingPathComponent("specs/parity/scheduler-sequentiallr.yaml").path
        let run = runTrain(spec) { $0.format = .json; $0.steps = 1 }
        #expect(run.status == 0, "\(run.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect((object["hyperparameters"] as? [String: Any])?["scheduler"] as? String
            == "SequentialLR(milestones=[3], schedulers=[LinearLR(start_factor=0.25, end_factor=1.0, total_iters=3), ExponentialLR(gamma=0.8)])")
    }

    @Test func failedRunStillPrintsTheObject() throws {
        let run = runTrain(specPath) { $0.format = .json; $0.initialWeights = scratch.path("absent.safetensors") }
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "failed" && (object["error"] as? String)?.contains("absent.safetensors") == true)
        #expect(object["metrics"] is NSNull)
        let invalid = try scratch.write("nnspec: 1\ninput: [N, 3]\nlayers: []\n", to: "invalid.yaml")
        let refused = runTrain(invalid) { $0.format = .json }
        #expect(refused.status == 1)
        #expect(refused.output.contains("\"status\": \"failed\""))
    }
}
