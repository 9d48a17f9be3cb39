import Foundation
import NN
import NNData
import NNTensor

/// The contents of a golden file: values a training run recorded, JSON so that a review shows
/// what changed and any script (PyTorch's included) can write one. Every section is optional; a
/// comparison checks the sections the file has.
///
/// ```json
/// {
///   "final": {"loss": 0.52, "test_accuracy": 0.91, "test_loss": 0.55},
///   "losses": [2.31, 2.29, …],
///   "nnspec_golden": 1,
///   "recorded_by": "nnspec test --update",
///   "weights": [{"name": "fc1.weight", "norm": 3.1, "shape": [10, 64], "sum": -0.42}, …]
/// }
/// ```
public struct GoldenRecord: Codable, Sendable, Equatable {
    /// The training loss of every step, in order.
    public var losses: [Double]?
    public var final: FinalMetrics?
    /// A checksum of the final state: each tensor's sum and Euclidean norm, in state-dict order.
    public var weights: [WeightChecksum]?
    /// The format version.
    public var nnspecGolden: Int? = 1
    /// Who wrote the file: `nnspec test --update` (`nnspecRecorder`), or a reference script such
    /// as PyTorch's, whose goldens `--update` never rewrites.
    public var recordedBy: String?

    public static let nnspecRecorder = "nnspec test --update"

    /// True when `--update` may rewrite the file: nnspec recorded it (a reference another tool
    /// wrote, or a hand-written file, is never overwritten).
    public var isRewritable: Bool { recordedBy == Self.nnspecRecorder }

    public struct FinalMetrics: Codable, Sendable, Equatable {
        public var loss: Double?
        public var testLoss: Double?
        public var testAccuracy: Double?

        enum CodingKeys: String, CodingKey {
            case loss
            case testLoss = "test_loss"
            case testAccuracy = "test_accuracy"
        }
    }

    public struct WeightChecksum: Codable, Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var sum: Double
        public var norm: Double
    }

    enum CodingKeys: String, CodingKey {
        case losses, final, weights
        case nnspecGolden = "nnspec_golden"
        case recordedBy = "recorded_by"
    }

    public init(losses: [Double]?, final: FinalMetrics?, weights: [WeightChecksum]?, recordedBy: String? = nil) {
        self.losses = losses
        self.final = final
        self.weights = weights
        self.recordedBy = recordedBy
    }

    /// Every value of a run: its losses, final metrics and the checksum of its final state.
    public init(recording record: TrainingRecord) {
        losses = record.losses
        final = FinalMetrics(loss: record.finalLoss, testLoss: record.testLoss, testAccuracy: record.testAccuracy)
        weights = record.finalState.map(WeightChecksum.init)
        recordedBy = Self.nnspecRecorder
    }
}

extension GoldenRecord.WeightChecksum {
    /// Sum and norm accumulated in Double over the tensor's Float values.
    init(_ named: NamedTensor) {
        var sum = 0.0
        var squares = 0.0
        named.tensor.scalars.withUnsafeBufferPointer { values in
            for value in values {
                sum += Double(value)
                squares += Double(value) * Double(value)
            }
        }
        self.init(name: named.name, shape: named.tensor.shape, sum: sum, norm: squares.squareRoot())
    }
}

extension GoldenRecord {
    /// Reads the golden file at `path` (a FIFO or device is refused rather than waited on).
    public static func read(from path: String) throws(RegressionError) -> GoldenRecord {
        let data: Data
        do {
            let handle = FileHandle(fileDescriptor: try RegularFile.descriptor(at: path), closeOnDealloc: true)
            data = try handle.readToEnd() ?? Data()
        } catch let refusal as RegularFile.Refusal {
            throw RegressionError("cannot read the golden file \(path): \(refusal.message)")
        } catch {
            throw RegressionError("cannot read the golden file \(path)")
        }
        do {
            return try decoder.decode(GoldenRecord.self, from: data)
        } catch {
            throw RegressionError("the golden file \(path) is not a golden record: \(error)")
        }
    }

    /// The file's text: pretty-printed JSON with sorted keys and a final newline.
    public func encoded() throws(RegressionError) -> Data {
        do {
            return try Self.encoder.encode(self) + Data("\n".utf8)
        } catch {
            throw RegressionError("cannot encode the golden record: \(error)")
        }
    }

    /// Writes the record to `path` atomically (a crash never leaves half a file).
    public func write(to path: String) throws(RegressionError) {
        do {
            try encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch let error as RegressionError {
            throw error
        } catch {
            throw RegressionError("cannot write the golden file \(path): \(error.localizedDescription)")
        }
    }

    private static let nonFinite = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return decoder
    }
}
