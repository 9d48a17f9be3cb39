import Foundation

/// A spec's `golden:` against one training run: compared within the tolerance, or in update mode
/// recorded when missing and rewritten when it no longer matches (only goldens nnspec recorded).
struct GoldenCheck {
    /// The golden file, as the spec's path leads to it.
    let path: String
    let tolerance: Double
    /// The spec line of `golden:`, where failures are reported.
    let line: Int?
    /// `--update`: record or rewrite instead of failing.
    let updates: Bool

    /// The failures of `record` against the golden; a recorded or rewritten file is named in `changes`.
    func failures(of record: TrainingRecord, changes: inout [String]) -> [ExpectationFailure] {
        let seen = GoldenRecord(recording: record)
        do {
            guard FileManager.default.fileExists(atPath: path) else {
                guard updates else {
                    return [ExpectationFailure(line: line, "expected the golden file \(path), but it does not exist (record it with --update)")]
                }
                try seen.write(to: path)
                changes.append("recorded \(path)")
                return []
            }
            let stored = try GoldenRecord.read(from: path)
            let differences = GoldenComparison(golden: stored, tolerance: tolerance).differences(from: seen)
            guard !differences.isEmpty else { return [] }
            guard updates, stored.isRewritable else {
                var failures = differences.map { ExpectationFailure(line: line, "golden \(path): \($0)") }
                if updates {
                    let recorder = stored.recordedBy.map { "was recorded by \($0); regenerate it there" }
                        ?? "names no recorder (recorded_by), so it was not written by nnspec; delete it to record it anew"
                    failures.append(ExpectationFailure(line: line, "expected a golden --update may rewrite, but \(path) \(recorder)"))
                }
                return failures
            }
            try seen.write(to: path)
            changes.append("rewrote \(path) (\(differences.count) difference\(differences.count == 1 ? "" : "s"))")
            return []
        } catch {
            return [ExpectationFailure(line: line, "expected a usable golden file, but \(error)")]
        }
    }
}
