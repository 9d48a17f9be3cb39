import NNSpec

extension SpecValidator {
    /// Validates `file` as `validate(file:fileAccess:)` does and prints its diagnostics (warnings
    /// included) to `console.error`, for the commands that run a spec (train, predict, eval).
    public func validate(file: String, fileAccess: SpecFileAccess, reportingTo console: Console) -> ValidationResult {
        let result = validate(file: file, fileAccess: fileAccess)
        if !result.diagnostics.isEmpty {
            console.error(DiagnosticTextRenderer(colored: console.colorsError).render(result.diagnostics, source: result.source))
        }
        return result
    }
}
