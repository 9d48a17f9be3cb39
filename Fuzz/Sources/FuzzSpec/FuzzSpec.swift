import Foundation
import FuzzSupport
import NNCatalogue
import NNSpec

/// Validates the input as a spec and renders every outcome as `nnspec validate` and `nnspec summary`
/// do: diagnostics as text (plain and coloured) and as JSON, which must parse, and a valid spec's
/// summary table and its JSON. Relative data paths resolve in `SpecDataTree`, where the corpus's
/// own data paths exist.
func fuzzSpec(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let result = SpecValidator.standard.validate(source: bytes, file: "fuzz.yaml", baseDirectory: SpecDataTree.specDirectory)
    for colored in [false, true] {
        _ = DiagnosticTextRenderer(colored: colored).render(result.diagnostics, source: result.source)
    }
    let json = DiagnosticJSONRenderer.render([(result.file, result.isValid, result.diagnostics)])
    invariant((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "the diagnostics' JSON does not parse:\n\(json)")
    invariant(result.isValid == !result.diagnostics.contains { $0.severity == .error }, "valid \(result.isValid) but errors \(result.diagnostics)")
    if let spec = result.spec {
        _ = SummaryTable.render(spec)
        _ = SummaryTable.render(spec, depth: 2)
    }
    let summary = SummaryTable.json(file: result.file, diagnostics: result.diagnostics, spec: result.spec)
    invariant((try? JSONSerialization.jsonObject(with: Data(summary.utf8))) != nil, "the summary's JSON does not parse:\n\(summary)")
    return 0
}
