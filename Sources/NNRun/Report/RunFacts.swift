import Foundation

/// What a report shows beyond the log's rows: the spec, the settings, the timings, the final
/// metrics and the test split's confusion matrix. `--report DIR` writes it as `DIR/run.json`
/// (`"format": "nnspec.run/1"`) beside `DIR/log.csv`, and `nnspec report` reads it back.
public struct RunFacts: Codable, Equatable, Sendable {
    public static let format = "nnspec.run/1"

    public var format = RunFacts.format
    /// The spec file as given on the command line.
    public var spec: String
    /// The network's name (`name:`).
    public var name: String
    /// Settings in display order: `[["optimizer", "SGD"], ["lr", "0.01"], …]`.
    public var hyperparameters: [[String]]
    public var timings: Timings
    public var final: FinalMetrics
    /// `counts[target][predicted]` of the test split, for classifiers with test data.
    public var confusionMatrix: [[Int]]?
    /// Why the run stopped before its end (a loss that became NaN, a failed write); nil otherwise.
    public var error: String?

    public struct Timings: Codable, Equatable, Sendable {
        /// Seconds since 1970 when training started (in this process, for a resumed run).
        public var started: Double
        /// The whole run, evaluation and checkpoints included.
        public var totalSeconds: Double
        /// Training steps only (batch loading included).
        public var trainingSeconds: Double
        /// Samples trained on by this process.
        public var images: Int

        public var imagesPerSecond: Double? { trainingSeconds > 0 ? Double(images) / trainingSeconds : nil }
    }

    public struct FinalMetrics: Codable, Equatable, Sendable {
        public var step: Int
        public var totalSteps: Int
        public var loss: Double?
        public var testLoss: Double?
        public var testAccuracy: Double?
    }

    /// The sidecar's JSON text, one line (snake_case keys, sorted, so two writes of the same facts are the same bytes).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Encoding plain values and arrays of them cannot fail.
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// Reads a sidecar; `file` names it in errors.
    public static func read(_ data: Data, file: String) throws(ReportError) -> RunFacts {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let facts: RunFacts
        do {
            facts = try decoder.decode(RunFacts.self, from: data)
        } catch {
            throw ReportError("\(file): not an nnspec run record (\(format)): \(Self.describe(error))")
        }
        guard facts.format == format else {
            throw ReportError("\(file): format '\(facts.format)' is not \(format)")
        }
        return facts
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): "no \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            (context.codingPath.map(\.stringValue).joined(separator: ".") + " " + context.debugDescription)
                .trimmingCharacters(in: .whitespaces)
        default: "\(error)"
        }
    }
}
