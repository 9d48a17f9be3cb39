/// Gathers the diagnostics of one spec file as validation goes, so that every problem is
/// reported, not only the first.
struct DiagnosticCollector {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    var errorCount: Int { diagnostics.count { $0.severity == .error } }

    mutating func error(_ message: String, at node: YAMLNode?, notes: [String] = [], hint: String? = nil) {
        add(.error, message, mark: node?.mark, endMark: node.flatMap(underlineEnd), notes: notes, hint: hint)
    }

    mutating func warning(_ message: String, at node: YAMLNode?, notes: [String] = [], hint: String? = nil) {
        add(.warning, message, mark: node?.mark, endMark: node.flatMap(underlineEnd), notes: notes, hint: hint)
    }

    mutating func add(
        _ severity: Diagnostic.Severity, _ message: String, mark: SourceMark?, endMark: SourceMark? = nil,
        notes: [String] = [], hint: String? = nil
    ) {
        diagnostics.append(
            Diagnostic(severity, message, file: file, mark: mark, endMark: endMark, notes: notes, hint: hint))
    }

    /// Adds `note` to every diagnostic from the `start`th on (those reported while checking one
    /// block instance: where and as what it was instantiated).
    mutating func addNote(_ note: String, fromIndex start: Int) {
        for index in diagnostics.indices where index >= start { diagnostics[index].notes.append(note) }
    }

    /// The end of the underline: the node's end when it is on the same line, else nothing.
    private func underlineEnd(_ node: YAMLNode) -> SourceMark? {
        node.endMark.line == node.mark.line && node.endMark.column > node.mark.column ? node.endMark : nil
    }
}
