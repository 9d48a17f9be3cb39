import Foundation
import NNCatalogue
@testable import NNSpec

/// The repository root, found from this file's path (Tests/NNSpecTests/TestSupport.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Validates spec text written in a test.
func validate(_ text: String, file: String = "test.yaml") -> ValidationResult {
    SpecValidator.standard.validate(source: Array(text.utf8), file: file, baseDirectory: repositoryRoot.path)
}

/// The error messages of a result, in order.
func errorMessages(_ result: ValidationResult) -> [String] {
    result.diagnostics.filter { $0.severity == .error }.map(\.message)
}
