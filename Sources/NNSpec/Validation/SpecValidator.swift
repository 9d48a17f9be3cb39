/// The outcome of validating one spec file.
public struct ValidationResult: Sendable {
    /// The file as given.
    public var file: String
    /// The source text (for rendering source lines under diagnostics).
    public var source: String
    /// Every problem found, in source order.
    public var diagnostics: [Diagnostic]
    /// The resolved spec; nil when any error was found.
    public var spec: ValidatedSpec?
    /// The network input when it could be read (also for invalid specs, for `--verbose`).
    public var input: TensorShape?
    /// Each layer's output as far as the flow could follow it (also for invalid specs, for `--verbose`).
    public var trace: [LayerTrace]

    public var isValid: Bool { spec != nil }
}

/// One line of `validate --verbose`: a layer and its output shape (nil where it could not be known).
public struct LayerTrace: Sendable {
    public var name: String
    public var typeName: String
    public var output: TensorShape?
}

/// Validates spec files: YAML, every key, every layer's shape rule along the whole flow, loss,
/// optimizer, data files' headers and expectations, reporting every problem it finds.
///
/// The types a spec may name come from `catalogue`; NNCatalogue's `SpecValidator.standard`
/// validates against the standard one.
public struct SpecValidator: Sendable {
    public let catalogue: Catalogue

    public init(catalogue: Catalogue) {
        self.catalogue = catalogue
    }

    /// The top-level keys of format version 1.
    public static let topLevelKeys = [
        "nnspec", "name", "description", "input", "blocks", "layers", "loss", "optimizer", "data", "train", "expect",
    ]

    /// The largest spec file read (16 MiB); a spec is a page of text.
    public static let maximumFileSize = 16 << 20

    /// The most layers a spec may list (ResNet-152 has about 500 modules).
    public static let maximumLayerCount = 10_000

    /// The path that means standard input, as in most command-line tools.
    public static let standardInputPath = "-"
    /// How diagnostics name a spec read from standard input.
    public static let standardInputName = "<stdin>"

    /// Reads and validates the spec at `path`; `fileAccess` says which files it may name. A `path`
    /// of "-" reads standard input to its end: diagnostics name it `<stdin>`, and its relative paths
    /// are taken from the working directory.
    public func validate(file path: String, fileAccess: SpecFileAccess = .anywhere) -> ValidationResult {
        let fromStandardInput = path == Self.standardInputPath
        let name = fromStandardInput ? Self.standardInputName : path
        var diagnostics = DiagnosticCollector(file: name)
        do {
            let bytes = fromStandardInput
                ? try FileSystem.contents(of: 0, limit: Self.maximumFileSize + 1)
                : try FileSystem.contents(atPath: path, limit: Self.maximumFileSize + 1)
            if bytes.count <= Self.maximumFileSize {
                let directory = fromStandardInput ? "" : FileSystem.directory(of: path)
                return validate(source: bytes, file: name, baseDirectory: directory, fileAccess: fileAccess)
            }
            diagnostics.add(.error, "the spec is larger than \(formatBytes(Self.maximumFileSize)); a spec is a page of text", mark: nil)
        } catch {
            let reason = if case .unreadable(let reason) = error { reason } else { "it does not exist" }
            diagnostics.add(.error, "cannot read the spec: \(reason)", mark: nil)
        }
        return ValidationResult(file: name, source: "", diagnostics: diagnostics.diagnostics, spec: nil, input: nil, trace: [])
    }

    /// Validates spec text; `file` names it in diagnostics, relative data paths are taken from `baseDirectory`.
    public func validate(
        source bytes: [UInt8], file: String, baseDirectory: String, fileAccess: SpecFileAccess = .anywhere
    ) -> ValidationResult {
        let text = String(decoding: bytes, as: UTF8.self)
        var diagnostics = DiagnosticCollector(file: file)
        let root: YAMLNode?
        do {
            root = try YAMLComposer().compose(bytes)
        } catch {
            diagnostics.add(.error, error.message, mark: error.mark, notes: error.notes, hint: error.hint)
            return ValidationResult(file: file, source: text, diagnostics: diagnostics.diagnostics, spec: nil, input: nil, trace: [])
        }
        guard let root else {
            diagnostics.add(.error, "the spec is empty", mark: SourceMark(line: 1, column: 1), hint: "start with `nnspec: 1`")
            return ValidationResult(file: file, source: text, diagnostics: diagnostics.diagnostics, spec: nil, input: nil, trace: [])
        }
        var validation = SpecValidation(
            diagnostics: diagnostics, baseDirectory: baseDirectory, catalogue: catalogue, fileAccess: fileAccess)
        let spec = validation.run(root)
        let sorted = validation.diagnostics.diagnostics.enumerated().sorted { first, second in
            let a = first.element.mark ?? SourceMark(line: 0, column: 0)
            let b = second.element.mark ?? SourceMark(line: 0, column: 0)
            return a == b ? first.offset < second.offset : a < b
        }.map(\.element)
        return ValidationResult(
            file: file, source: text, diagnostics: sorted, spec: sorted.containsError ? nil : spec, input: validation.input,
            trace: validation.trace)
    }
}
