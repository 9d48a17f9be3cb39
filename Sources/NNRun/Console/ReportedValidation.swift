import NNCatalogue
import NNData
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

extension Console {
    /// Prints why a command stopped after its spec validated: an error that a line of the spec is
    /// to blame for (a layer, loss, optimizer or scheduler refused when built; a prediction input
    /// that does not fit `input:`) as a diagnostic quoting that line, any other as `error: …`.
    /// Messages quote the spec's paths and names: their control characters are shown, not sent.
    public func reportFailure(_ error: any Error, of validation: ValidationResult) {
        let message = VisibleText.escaped(String(describing: error))
        guard let (located, mark) = Self.blame(error, in: validation) else {
            self.error("error: \(message)\n")
            return
        }
        let diagnostic = Diagnostic(.error, VisibleText.escaped(located), file: validation.file, mark: mark)
        self.error(DiagnosticTextRenderer(colored: colorsError).render([diagnostic], source: validation.source))
    }

    /// The message of `error` without its location, and the spec line to blame, when there is one.
    private static func blame(_ error: any Error, in validation: ValidationResult) -> (String, SourceMark)? {
        switch error {
        case let error as BuildError: error.mark.map { (error.message, $0) }
        case TrainingError.build(let error): error.mark.map { (error.message, $0) }
        case let mismatch as InputShapeMismatch: validation.spec?.inputMark.map { (mismatch.description, $0) }
        default: nil
        }
    }
}
