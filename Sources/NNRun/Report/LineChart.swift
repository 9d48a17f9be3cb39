import Foundation
import NNSpec

/// An SVG line chart of one or more series over a shared x axis (steps: whole numbers), with nice ticks, a grid, a
/// legend, a logarithmic y axis when asked, and gaps where a value is NaN or infinite (counted in a
/// note under the chart). A series of one point is drawn as its marker.
struct LineChart {
    struct Series {
        var name: String
        /// A CSS colour.
        var color: String
        var points: [(x: Double, y: Double)]
        /// Draw a marker at each point (epoch values) instead of a thin line only (step values).
        var markers = false
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var logarithmic = false
    /// Shown under the title (units, how points were averaged).
    var caption: String?
    var width = 640.0
    var height = 280.0

    private let margin = (left: 64.0, right: 16.0, top: 54.0, bottom: 44.0)

    func svg() -> String {
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let xAxis = AxisScale.linear(covering: xs, tickCount: 6, wholeNumbers: true)
        let yAxis = (logarithmic ? AxisScale.logarithmic(covering: ys) : nil) ?? AxisScale.linear(covering: ys)
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (xAxis.fraction(x) ?? 0) * plotWidth }
        func py(_ y: Double) -> Double? { yAxis.fraction(y).map { margin.top + (1 - $0) * plotHeight } }
        func n(_ value: Double) -> String { String(format: "%.1f", value) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(n(width))\" height=\"\(n(height))\""
            + " viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(XMLText.escaped(title))\">\n"
        svg += "<text x=\"\(n(margin.left))\" y=\"16\" class=\"title\">\(XMLText.escaped(title))</text>\n"
        if let caption { svg += "<text x=\"\(n(margin.left))\" y=\"30\" class=\"caption\">\(XMLText.escaped(caption))</text>\n" }
        for tick in yAxis.ticks {
            guard let y = py(tick) else { continue }
            svg += "<line x1=\"\(n(margin.left))\" y1=\"\(n(y))\" x2=\"\(n(width - margin.right))\" y2=\"\(n(y))\" class=\"grid\"/>"
            svg += "<text x=\"\(n(margin.left - 6))\" y=\"\(n(y + 4))\" class=\"tick\" text-anchor=\"end\">\(yAxis.label(tick))</text>\n"
        }
        for tick in xAxis.ticks {
            let x = px(tick)
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(margin.top))\" x2=\"\(n(x))\" y2=\"\(n(height - margin.bottom))\" class=\"grid\"/>"
            svg += "<text x=\"\(n(x))\" y=\"\(n(height - margin.bottom + 16))\" class=\"tick\" text-anchor=\"middle\">\(xAxis.label(tick))</text>\n"
        }
        svg += "<rect x=\"\(n(margin.left))\" y=\"\(n(margin.top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" class=\"frame\"/>\n"
        svg += "<text x=\"\(n(margin.left + plotWidth / 2))\" y=\"\(n(height - 8))\" class=\"label\" text-anchor=\"middle\">\(XMLText.escaped(xLabel))</text>\n"
        svg += "<text x=\"14\" y=\"\(n(margin.top + plotHeight / 2))\" class=\"label\" text-anchor=\"middle\""
            + " transform=\"rotate(-90 14 \(n(margin.top + plotHeight / 2)))\">\(XMLText.escaped(yLabel))</text>\n"

        var unplaced = 0
        for item in series {
            // Consecutive placeable points form one polyline; a NaN, infinite or (log axis) non-positive value breaks it.
            var segments: [[(Double, Double)]] = [[]]
            for point in item.points {
                if let y = py(point.y) {
                    segments[segments.count - 1].append((px(point.x), y))
                } else {
                    unplaced += 1
                    if !segments[segments.count - 1].isEmpty { segments.append([]) }
                }
            }
            for segment in segments where segment.count > 1 {
                let coordinates = segment.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
                svg += "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"\(item.markers ? 2 : 1.2)\"/>\n"
            }
            for segment in segments where item.markers || segment.count == 1 {
                for (x, y) in segment {
                    svg += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3\" fill=\"\(item.color)\"/>"
                }
                if !segment.isEmpty { svg += "\n" }
            }
        }
        // The legend sits above the plot, so it never hides a curve.
        var legendX = margin.left
        for item in series {
            svg += "<rect x=\"\(n(legendX))\" y=\"\(n(margin.top - 12))\" width=\"12\" height=\"3\" fill=\"\(item.color)\"/>"
            svg += "<text x=\"\(n(legendX + 16))\" y=\"\(n(margin.top - 7))\" class=\"legend\">\(XMLText.escaped(item.name))</text>\n"
            legendX += 24 + Double(item.name.count) * 6.5
        }
        if unplaced > 0 {
            let reason = logarithmic ? "NaN, infinite or not positive" : "NaN or infinite"
            svg += "<text x=\"\(n(width - margin.right))\" y=\"16\" class=\"note\" text-anchor=\"end\">"
                + "\(unplaced) \(unplaced == 1 ? "value" : "values") \(reason): gaps in the curve</text>\n"
        }
        return svg + "</svg>"
    }
}
