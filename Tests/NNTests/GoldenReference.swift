import Foundation
import NN
import NNTensor
import Testing

/// PyTorch's reference values in Tests/Reference, written by Tests/Reference/make_reference.py
/// (regenerate: `pip install torch safetensors && python3 Tests/Reference/make_reference.py`).
enum Reference {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Reference")

    static func load(_ fileName: String) throws -> SafetensorsFile {
        try SafetensorsFile(contentsOf: directory.appendingPathComponent(fileName))
    }

    /// The JSON object in the file's `__metadata__["reference"]`: case names → configurations, and
    /// other values the script records.
    static func metadata(_ file: SafetensorsFile) throws -> [String: Any] {
        let json = try #require(file.metadata["reference"], "no reference metadata")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }
}

/// One case's configuration from the reference metadata (a layer, loss, optimizer or scheduler
/// type and its PyTorch constructor arguments).
struct ReferenceConfig {
    let values: [String: Any]

    init(_ file: SafetensorsFile, _ key: String) throws {
        values = try #require(try Reference.metadata(file)[key] as? [String: Any], "no reference case '\(key)'")
    }

    /// A case nested in another's (SequentialLR's `schedulers`).
    init(values: [String: Any]) {
        self.values = values
    }

    var type: String { values["type"] as? String ?? "" }
    func double(_ key: String) -> Double? { (values[key] as? NSNumber)?.doubleValue }
    func int(_ key: String) -> Int? { (values[key] as? NSNumber)?.intValue }
    func bool(_ key: String) -> Bool? { values[key] as? Bool }
    func string(_ key: String) -> String? { values[key] as? String }
    /// An argument PyTorch accepts as an int or a pair (`kernel_size: 3` or `[2, 3]`).
    func ints(_ key: String) -> [Int]? {
        if let pair = values[key] as? [NSNumber] { return pair.map(\.intValue) }
        return int(key).map { [$0] }
    }
    func doubles(_ key: String) -> [Double]? { (values[key] as? [NSNumber])?.map(\.doubleValue) }
}

/// Records an issue unless `actual` has `expected`'s shape and every element is within `tolerance`
/// of it: relative to the expected value, or absolute for values of magnitude below 1 (whichever
/// is looser), i.e. |a − e| ≤ tolerance · max(1, |e|). NaN never matches.
func expectClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5, _ label: @autoclosure () -> String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("\(label()): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    var mismatches = 0
    var worst: (index: Int, ratio: Float) = (0, 0)
    for i in 0..<expected.count {
        let allowed = tolerance * max(1, abs(expected.scalars[i]))
        let difference = abs(actual.scalars[i] - expected.scalars[i])
        guard !(difference <= allowed) else { continue }
        mismatches += 1
        let ratio = difference.isNaN ? .infinity : difference / allowed
        if ratio > worst.ratio || mismatches == 1 { worst = (i, ratio) }
    }
    if mismatches > 0 {
        Issue.record("""
            \(label()): \(mismatches) of \(expected.count) elements differ beyond \(tolerance) (relative, or \
            absolute near zero); worst at index \(worst.index): \(actual.scalars[worst.index]) vs \
            \(expected.scalars[worst.index])
            """, sourceLocation: sourceLocation)
    }
}

@Suite struct GoldenComparisonTests {
    @Test func acceptsValuesWithinRelativeOrAbsoluteTolerance() {
        let expected = Tensor(shape: [4], scalars: [1000, -2, 0, 1e-7])
        let actual = Tensor(shape: [4], scalars: [1000.009, -2.00001, 9e-6, -9e-6])
        expectClose(actual, expected, "within tolerance")
    }

    @Test func flagsValuesBeyondToleranceWrongShapesAndNaN() {
        withKnownIssue {
            expectClose(Tensor(shape: [2], scalars: [1, 1.0001]), Tensor(shape: [2], scalars: [1, 1]), "too far")
        }
        withKnownIssue {
            expectClose(Tensor(shape: [2, 1], scalars: [1, 1]), Tensor(shape: [2], scalars: [1, 1]), "shape")
        }
        withKnownIssue {
            expectClose(Tensor(shape: [1], scalars: [.nan]), Tensor(shape: [1], scalars: [0]), "NaN")
        }
    }
}
