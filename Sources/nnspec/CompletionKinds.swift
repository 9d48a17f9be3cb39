import ArgumentParser

/// The file names shell completion offers (`nnspec --generate-completion-script bash|zsh|fish`).
extension CompletionKind {
    /// Spec files, `.yaml` and `.yml` (directories are offered too, to reach them).
    static let spec = CompletionKind.file(extensions: ["yaml", "yml"])
    /// Weights files, `.safetensors`.
    static let weights = CompletionKind.file(extensions: ["safetensors"])
}
