import Foundation
import NNSpec

/// An SVG diagram of a validated spec's network: one box per layer (name, type, output shape and
/// parameter count) under an input box, arrows down the chain, and a curve on the right for each
/// `from:` input that is not the layer just above. (The report's diagram; `nnspec graph` may take
/// its place behind this same interface.)
enum NetworkDiagram {
    private static let boxWidth = 320.0, boxHeight = 44.0, gap = 22.0, left = 12.0, laneSpacing = 16.0

    static func svg(for spec: ValidatedSpec) -> String {
        // Row 0 is the input; row i + 1 is layer i.
        var rows = [(title: "input", detail: spec.input.description)]
        for layer in spec.layers {
            let parameters = layer.parameterCount == 0 ? "no parameters" : "\(formatCount(layer.parameterCount)) parameters"
            rows.append(("\(layer.name) (\(layer.typeName))", "\(layer.output.description) · \(parameters)"))
        }
        let rowIndex = Dictionary(spec.layers.enumerated().map { ($1.name, $0 + 1) }, uniquingKeysWith: { first, _ in first })
            .merging(["input": 0]) { _, input in input }
        var skips: [(from: Int, to: Int)] = []
        for (index, layer) in spec.layers.enumerated() {
            for name in layer.inputs {
                if let source = rowIndex[name], source != index { skips.append((source, index + 1)) }
            }
        }
        let width = left + boxWidth + 24 + Double(skips.count) * laneSpacing
        let height = Double(rows.count) * (boxHeight + gap) - gap + 2 * left
        func top(_ row: Int) -> Double { left + Double(row) * (boxHeight + gap) }
        func n(_ value: Double) -> String { String(format: "%.1f", value) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram\" width=\"\(n(width))\" height=\"\(n(height))\""
            + " viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"network diagram of \(XMLText.escaped(spec.name))\">\n"
        svg += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
            + " orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n"
        for (index, layer) in spec.layers.enumerated() where layer.inputs.contains(index == 0 ? "input" : spec.layers[index - 1].name) {
            let x = left + boxWidth / 2
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(top(index) + boxHeight))\" x2=\"\(n(x))\" y2=\"\(n(top(index + 1) - 1))\""
                + " class=\"edge\" marker-end=\"url(#arrow)\"/>\n"
        }
        for (lane, skip) in skips.enumerated() {
            let x = left + boxWidth, bulge = x + 20 + Double(lane) * laneSpacing
            let y1 = top(skip.from) + boxHeight / 2, y2 = top(skip.to) + boxHeight / 2
            svg += "<path d=\"M \(n(x)) \(n(y1)) C \(n(bulge)) \(n(y1)), \(n(bulge)) \(n(y2)), \(n(x + 1)) \(n(y2))\""
                + " class=\"edge skip\" fill=\"none\" marker-end=\"url(#arrow)\"/>\n"
        }
        for (row, box) in rows.enumerated() {
            let y = top(row)
            svg += "<g class=\"layer\"><rect x=\"\(n(left))\" y=\"\(n(y))\" width=\"\(n(boxWidth))\" height=\"\(n(boxHeight))\" rx=\"6\"/>"
            svg += "<text x=\"\(n(left + 10))\" y=\"\(n(y + 18))\" class=\"name\">\(XMLText.escaped(box.title))</text>"
            svg += "<text x=\"\(n(left + 10))\" y=\"\(n(y + 35))\" class=\"detail\">\(XMLText.escaped(box.detail))</text></g>\n"
        }
        return svg + "</svg>"
    }
}
