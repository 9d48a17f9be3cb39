import Foundation
import NNSpec

/// The page `--report DIR` and `nnspec report` write as `DIR/index.html`: self-contained HTML (inline
/// CSS and SVG, no script, nothing fetched) with the loss curves (per step, epoch means, test loss),
/// the test accuracy and the learning rate, the settings, the timings, the summary table and
/// diagram of the network, and a classifier's confusion matrix.
public struct RunReport {
    public var history: RunHistory
    /// The sidecar's facts; nil when a log is redrawn without one.
    public var facts: RunFacts?
    /// The network, for its summary table and diagram; nil when the spec is not at hand.
    public var spec: ValidatedSpec?
    public var lossScale: LossScale = .auto
    /// Lines shown under the title (what is missing and why).
    public var notes: [String] = []

    /// Marks a page nnspec wrote, so that a later report may replace it without `--force`.
    static let generatorMark = "<meta name=\"generator\" content=\"nnspec\">"

    public init(history: RunHistory, facts: RunFacts? = nil, spec: ValidatedSpec? = nil) {
        self.history = history
        self.facts = facts
        self.spec = spec
    }

    public func html() -> String {
        let name = facts?.name ?? spec?.name ?? "training run"
        var body = "<h1>\(XMLText.escaped(name))</h1>\n"
        if let facts { body += "<p class=\"subtitle\">\(XMLText.escaped(facts.spec)) · \(Self.headline(facts.final))</p>\n" }
        if let error = facts?.error { body += "<p class=\"note\">The run stopped: \(XMLText.escaped(error))</p>\n" }
        for note in notes { body += "<p class=\"note\">\(XMLText.escaped(note))</p>\n" }
        body += "<section class=\"charts\">\n" + charts().joined(separator: "\n") + "\n</section>\n"
        if let facts {
            body += "<section class=\"tables\">\n"
            body += Self.table(title: "Settings", rows: facts.hyperparameters, numeric: false)
            body += Self.table(title: "Timings", rows: Self.timingRows(facts.timings, epochs: history.epochs), numeric: true)
            body += "</section>\n"
            if let counts = facts.confusionMatrix { body += ConfusionMatrixTable.html(ConfusionMatrix(counts: counts)) }
        }
        if let spec {
            body += "<section class=\"network\">\n<div><h2>Network</h2>\n"
            body += Self.table(header: SummaryTable.header, rows: SummaryTable.rows(spec), numericFrom: 2)
            body += "<p>\(formatCount(spec.parameterCount)) parameters, \(formatCount(spec.multAdds)) mult-adds per sample</p></div>\n"
            body += "<div><h2>Diagram</h2>\n\(NetworkDiagram.svg(for: spec))</div>\n</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            \(Self.generatorMark)
            <title>\(XMLText.escaped(name)): nnspec report</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// The loss, accuracy and learning-rate charts, those the history has data for.
    func charts() -> [String] {
        var charts: [String] = []
        let stepLosses = CurveThinning.thinned(history.steps.map { (Double($0.step), $0.loss) })
        let epochTrain = history.epochs.compactMap { epoch in epoch.trainLoss.map { (Double(epoch.step), $0) } }
        let epochTest = history.epochs.compactMap { epoch in epoch.testLoss.map { (Double(epoch.step), $0) } }
        var lossSeries: [LineChart.Series] = []
        if !stepLosses.points.isEmpty { lossSeries.append(.init(name: "train loss per step", color: "#9ab8d8", points: stepLosses.points)) }
        if !epochTrain.isEmpty { lossSeries.append(.init(name: "train loss, epoch mean", color: "#1f5fa8", points: epochTrain, markers: true)) }
        if !epochTest.isEmpty { lossSeries.append(.init(name: "test loss", color: "#d9691c", points: epochTest, markers: true)) }
        if !lossSeries.isEmpty {
            let logarithmic = lossScale.isLogarithmic(lossSeries.flatMap { $0.points.map(\.y) })
            var caption = logarithmic ? "logarithmic scale" : "linear scale"
            if stepLosses.stride > 1 { caption += "; each step point is the mean of \(stepLosses.stride) steps" }
            charts.append(LineChart(title: "Loss", xLabel: "step", yLabel: "loss", series: lossSeries,
                                    logarithmic: logarithmic, caption: caption).svg())
        }
        let accuracy = history.epochs.compactMap { epoch in epoch.testAccuracy.map { (Double(epoch.step), $0 * 100) } }
        if !accuracy.isEmpty {
            charts.append(LineChart(title: "Test accuracy", xLabel: "step", yLabel: "accuracy (%)",
                                    series: [.init(name: "test accuracy", color: "#2e8b57", points: accuracy, markers: true)],
                                    caption: "after each epoch").svg())
        }
        let rates = CurveThinning.thinned(history.steps.map { (Double($0.step), $0.learningRate) })
        if !rates.points.isEmpty {
            let logarithmic = lossScale != .linear && LossScale.auto.isLogarithmic(rates.points.map(\.y))
            charts.append(LineChart(title: "Learning rate", xLabel: "step", yLabel: "lr",
                                    series: [.init(name: "lr", color: "#7a4fa3", points: rates.points)],
                                    logarithmic: logarithmic, caption: logarithmic ? "logarithmic scale" : nil).svg())
        }
        if charts.isEmpty { charts.append("<p class=\"note\">The log has no rows: nothing was trained.</p>") }
        return charts
    }

    static func headline(_ final: RunFacts.FinalMetrics) -> String {
        var parts = ["step \(formatCount(final.step)) of \(formatCount(final.totalSteps))"]
        if let loss = final.loss { parts.append("final loss \(number(loss))") }
        if let test = final.testLoss { parts.append("test loss \(number(test))") }
        if let accuracy = final.testAccuracy { parts.append(String(format: "accuracy %.2f%%", accuracy * 100)) }
        return parts.joined(separator: " · ")
    }

    static func timingRows(_ timings: RunFacts.Timings, epochs: [RunHistory.Epoch]) -> [[String]] {
        var rows = [
            ["started", ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: timings.started))],
            ["whole run", seconds(timings.totalSeconds)],
            ["training steps", seconds(timings.trainingSeconds)],
            ["images trained", formatCount(timings.images)],
        ]
        if let rate = timings.imagesPerSecond { rows.append(["images/s", formatCount(Int(rate.rounded()))]) }
        var previous = timings.started
        for epoch in epochs {
            guard let end = epoch.wallTime, end >= timings.started else { continue }
            rows.append(["epoch \(epoch.epoch)", seconds(end - previous)])
            previous = end
        }
        return rows
    }

    static func seconds(_ value: Double) -> String {
        value < 1 ? String(format: "%.1f ms", value * 1000) : String(format: "%.2f s", value)
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : "\(value)"
    }

    /// A two-column table of names and values under a title (`numeric`: values right-aligned).
    static func table(title: String, rows: [[String]], numeric: Bool) -> String {
        "<div><h2>\(XMLText.escaped(title))</h2>\n" + table(header: nil, rows: rows, numericFrom: numeric ? 1 : 2) + "</div>\n"
    }

    /// A table whose columns from `numericFrom` on are right-aligned numbers.
    static func table(header: [String]?, rows: [[String]], numericFrom: Int) -> String {
        func cells(_ row: [String], tag: String) -> String {
            row.enumerated().map { column, cell in
                "<\(tag)\(column >= numericFrom ? " class=\"number\"" : "")>\(XMLText.escaped(cell))</\(tag)>"
            }.joined()
        }
        var html = "<table>\n"
        if let header { html += "<tr>\(cells(header, tag: "th"))</tr>\n" }
        for row in rows { html += "<tr>\(cells(row, tag: "td"))</tr>\n" }
        return html + "</table>\n"
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;color:#222;margin:24px;max-width:1340px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:16px 0 6px}
        .subtitle{color:#555;margin:0 0 12px}.note{color:#a33}
        section{display:flex;flex-wrap:wrap;gap:16px 28px;align-items:flex-start}
        table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}
        th{background:#f3f3f3}td.number,th.number{text-align:right;font-variant-numeric:tabular-nums}
        svg.chart{background:#fff;border:1px solid #ddd}svg text{font-family:system-ui,sans-serif}
        svg .title{font-size:14px;font-weight:600}svg .caption,svg .note{font-size:11px;fill:#666}svg .note{fill:#a33}
        svg .tick{font-size:11px;fill:#444}svg .label{font-size:12px;fill:#333}svg .legend{font-size:11px;fill:#333}
        svg .grid{stroke:#eee}svg .frame{fill:none;stroke:#999}
        table.confusion td{text-align:right;min-width:2.2em;border:1px solid #ddd}table.confusion th{text-align:center}
        """
}
