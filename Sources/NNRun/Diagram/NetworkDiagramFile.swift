import NNSpec

/// `nnspec graph`'s output: a spec's network diagram as a document of its own, SVG (standalone,
/// with an XML declaration) or Graphviz DOT, each opening with a comment holding `marker`, by which
/// `GeneratedFile` knows a diagram it may replace.
public enum NetworkDiagramFile {
    public enum Format: String, CaseIterable, Sendable {
        case svg
        case dot

        /// The format a file name asks for: `.svg` svg, `.dot` or `.gv` dot, anything else nil.
        public init?(fileName: String) {
            let lowercased = fileName.lowercased()
            if lowercased.hasSuffix(".svg") { self = .svg }
            else if lowercased.hasSuffix(".dot") || lowercased.hasSuffix(".gv") { self = .dot }
            else { return nil }
        }
    }

    public static let marker = "network diagram written by nnspec graph"

    /// The document of `spec`'s network; `depth` as `NetworkGraph`'s.
    public static func text(_ spec: ValidatedSpec, format: Format, depth: Int? = nil) -> String {
        let graph = NetworkGraph(spec, depth: depth)
        switch format {
        case .svg: return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- \(marker) -->\n\(NetworkDiagram.svg(graph))\n"
        case .dot: return NetworkDOT.text(graph, heading: marker)
        }
    }
}
