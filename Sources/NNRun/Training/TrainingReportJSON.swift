import NNSpec

/// `nnspec train --format json`: one object on standard output when the run stops, whatever the
/// outcome (progress and the text report are not printed; errors still go to standard error):
///
///     {"format": "nnspec.train/1", "status": "finished" | "interrupted" | "failed", "spec": FILE,
///      "error": null | TEXT, "name": NAME | null,
///      "metrics": {"step", "total_steps", "final_loss", "test_loss", "test_accuracy"} | null,
///      "timings": {"started", "total_seconds", "training_seconds", "images", "images_per_second"} | null,
///      "hyperparameters": {NAME: TEXT, …} | null,
///      "paths": {"log", "save", "checkpoint", "report", "tensorboard"} | null}
///
/// Numbers that are unknown, NaN or infinite are null; `test_accuracy` is in 0…1; `started` is in
/// seconds since 1970; a path is null when the run did not write that file.
public enum TrainingReportJSON {
    public static let format = "nnspec.train/1"

    static func render(status: String, facts: RunFacts, paths: [(String, String?)]) -> String {
        func number(_ value: Double?) -> JSONValue { value.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null }
        let final = facts.final, timings = facts.timings
        return document(status: status, file: facts.spec, error: nil, fields: [
            ("name", .string(facts.name)),
            ("metrics", .object([
                ("step", .integer(final.step)), ("total_steps", .integer(final.totalSteps)), ("final_loss", number(final.loss)),
                ("test_loss", number(final.testLoss)), ("test_accuracy", number(final.testAccuracy)),
            ])),
            ("timings", .object([
                ("started", number(timings.started)), ("total_seconds", number(timings.totalSeconds)),
                ("training_seconds", number(timings.trainingSeconds)), ("images", .integer(timings.images)),
                ("images_per_second", number(timings.imagesPerSecond)),
            ])),
            ("hyperparameters", .object(facts.hyperparameters.compactMap { row in row.count == 2 ? (row[0], .string(row[1])) : nil })),
            ("paths", .object(paths.map { ($0.0, $0.1.map(JSONValue.string) ?? .null) })),
        ])
    }

    /// The object of a run that failed before or while training.
    static func failed(file: String, error: String) -> String {
        document(status: "failed", file: file, error: error,
                 fields: ["name", "metrics", "timings", "hyperparameters", "paths"].map { ($0, .null) })
    }

    /// The files the run wrote, by option name.
    static func paths(options: TrainingOptions, trainer: Trainer, records: RunRecords) -> [(String, String?)] {
        [("log", options.logFile),
         ("save", trainer.position.step == trainer.totalSteps ? options.saveWeights : nil),
         ("checkpoint", trainer.checkpoints.map { Checkpoint.path(inDirectory: $0.directory) }),
         ("report", records.report.map { $0.file(ReportDirectory.page) }),
         ("tensorboard", records.tensorBoard?.path)]
    }

    private static func document(status: String, file: String, error: String?, fields: [(String, JSONValue)]) -> String {
        JSONValue.object([("format", .string(format)), ("status", .string(status)), ("spec", .string(file)),
                          ("error", error.map(JSONValue.string) ?? .null)] + fields).rendered() + "\n"
    }
}
