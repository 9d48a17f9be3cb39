import Foundation
import NNData

/// The Graphviz DOT text of a `NetworkGraph` (`nnspec graph --format dot`), for users who lay
/// networks out with Graphviz (`dot -Tsvg`): the same boxes, groups as nested `cluster_` subgraphs,
/// every input an edge, the inputs `NetworkDiagram` draws in a side lane coloured as it draws them.
enum NetworkDOT {
    static func text(_ graph: NetworkGraph, heading: String) -> String {
        var text = "// \(heading)\ndigraph \(quoted(graph.name)) {\n"
        text += "  rankdir=TB;\n  graph [fontname=\"sans-serif\", fontsize=11, labeljust=l];\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fa\", color=\"#1f5fa8\", fontname=\"sans-serif\", fontsize=11];\n"
        text += "  edge [color=\"#555555\"];\n"
        var open: [Int] = []
        func indent() -> String { String(repeating: "  ", count: open.count + 1) }
        for (index, node) in graph.nodes.enumerated() {
            let chain = graph.chain(to: node.group)
            while let last = open.last, !chain.contains(last) {
                open.removeLast()
                text += indent() + "}\n"
            }
            for group in chain where !open.contains(group) {
                text += indent() + "subgraph cluster_\(group) {\n"
                open.append(group)
                text += indent() + "label=\(quoted(graph.groups[group].title, graph.groups[group].detail)); style=rounded; color=\"#9aa9bb\";\n"
            }
            text += indent() + "n\(index) [label=\(quoted(node.title, node.detail))\(attributes(node.kind))];\n"
        }
        while !open.isEmpty {
            open.removeLast()
            text += indent() + "}\n"
        }
        for (target, node) in graph.nodes.enumerated() {
            for source in node.inputs {
                text += "  n\(source) -> n\(target)\(source == target - 1 ? "" : " [color=\"#d9691c\"]");\n"
            }
        }
        return text + "}\n"
    }

    private static func attributes(_ kind: NetworkGraph.Kind) -> String {
        switch kind {
        case .input: ", fillcolor=\"#ffffff\""
        case .module: ""
        case .functional: ", style=\"rounded,filled,dashed\", fillcolor=\"#f6f6f6\", color=\"#999999\""
        case .collapsed: ", fillcolor=\"#dde8f6\", penwidth=2.5"
        }
    }

    /// A DOT string of `lines` joined by DOT's line break `\n`: control characters and
    /// bidirectional overrides shown as `\u{1b}` (as a terminal shows them), then backslashes and
    /// quotes escaped.
    static func quoted(_ lines: String...) -> String {
        let escaped = lines.map {
            VisibleText.escaped($0).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
        return "\"" + escaped.joined(separator: "\\n") + "\""
    }
}
