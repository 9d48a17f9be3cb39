import Foundation
import NNSpec

/// The SVG diagram of a network, the one `nnspec graph` writes and `train --report` shows: a box
/// per layer (name, type, output shape, parameter count) in forward order under the input, arrows
/// down the flow, skips and branches (`from:`) in orange lanes on the right, containers and block
/// instances as framed groups with their totals, functional steps (`call:`) as lighter dashed boxes
/// and containers collapsed by `depth` as heavier ones (`NetworkDiagramLayout` places them).
/// The element carries its own style, no script and no font file, and scales with its viewBox.
enum NetworkDiagram {
    /// The `<svg>` element of `spec`'s network, every container open (the report's diagram).
    static func svg(for spec: ValidatedSpec) -> String {
        svg(NetworkGraph(spec))
    }

    static func svg(_ graph: NetworkGraph) -> String {
        let layout = NetworkDiagramLayout(graph)
        func n(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram\" width=\"\(n(layout.width))\" height=\"\(n(layout.height))\""
            + " viewBox=\"0 0 \(n(layout.width)) \(n(layout.height))\" role=\"img\" aria-label=\(XMLText.attribute("network diagram of \(graph.name)"))>\n"
        svg += "<style>\(style)</style>\n"
        svg += "<defs><marker id=\"diagram-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
            + " orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker>"
            + "<marker id=\"diagram-skip-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
            + " orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#d9691c\"/></marker></defs>\n"
        for frame in layout.groups where frame.height > 0 {
            svg += "<rect class=\"group\" x=\"\(n(frame.x))\" y=\"\(n(frame.y))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\" rx=\"8\"/>\n"
        }
        for target in layout.straight {
            let above = layout.boxes[target - 1], below = layout.boxes[target], x = above.x + above.width / 2
            svg += "<path class=\"edge\" d=\"M \(n(x)) \(n(above.bottom)) V \(n(below.y - 1))\" marker-end=\"url(#diagram-arrow)\"/>\n"
        }
        for skip in layout.skips {
            let source = layout.boxes[skip.from], target = layout.boxes[skip.to], radius = 6.0
            let lane = layout.firstLaneX + Double(skip.lane) * NetworkDiagramLayout.laneSpacing
            let y1 = source.y + NetworkDiagramLayout.departure, y2 = target.y + skip.arrival
            svg += "<path class=\"edge skip\" d=\"M \(n(source.right)) \(n(y1)) H \(n(lane - radius)) Q \(n(lane)) \(n(y1)) \(n(lane)) \(n(y1 + radius))"
                + " V \(n(y2 - radius)) Q \(n(lane)) \(n(y2)) \(n(lane - radius)) \(n(y2)) H \(n(target.right + 1))\" marker-end=\"url(#diagram-skip-arrow)\"/>\n"
        }
        for (group, frame) in zip(graph.groups, layout.groups) where frame.height > 0 {
            svg += "<text class=\"group-title\" x=\"\(n(frame.x + 8))\" y=\"\(n(frame.y + 15))\">\(XMLText.escaped(group.title))"
                + "<tspan class=\"detail\"> · \(XMLText.escaped(group.detail))</tspan></text>\n"
        }
        for (node, box) in zip(graph.nodes, layout.boxes) {
            svg += "<g class=\"node \(node.kind.rawValue)\"><rect x=\"\(n(box.x))\" y=\"\(n(box.y))\" width=\"\(n(box.width))\" height=\"\(n(box.height))\" rx=\"6\"/>"
            svg += "<text x=\"\(n(box.x + 10))\" y=\"\(n(box.y + 17))\" class=\"name\">\(XMLText.escaped(node.title))</text>"
            svg += "<text x=\"\(n(box.x + 10))\" y=\"\(n(box.y + 33))\" class=\"detail\">\(XMLText.escaped(node.detail))</text></g>\n"
        }
        return svg + "</svg>"
    }

    /// Scoped to `svg.diagram`, so the same rules serve a file of its own and the report's page.
    static let style = """
        svg.diagram text{font-family:system-ui,sans-serif;fill:#222}\
        svg.diagram .node rect{fill:#eef3fa;stroke:#1f5fa8}svg.diagram .node.input rect{fill:#fff}\
        svg.diagram .node.functional rect{fill:#f6f6f6;stroke:#999;stroke-dasharray:4 3}\
        svg.diagram .node.collapsed rect{fill:#dde8f6;stroke-width:2.5}\
        svg.diagram .name{font-size:13px;font-weight:600}svg.diagram .detail{font-size:12px;font-weight:400;fill:#444}\
        svg.diagram .node.functional .name{font-weight:400;fill:#555}\
        svg.diagram .group{fill:#7a8ca3;fill-opacity:0.06;stroke:#9aa9bb}\
        svg.diagram .group-title{font-size:12px;font-weight:600;fill:#34495e;paint-order:stroke;stroke:#fff;stroke-width:3px}\
        svg.diagram .edge{fill:none;stroke:#555;stroke-width:1.4}svg.diagram .skip{stroke:#d9691c}
        """
}
