import Foundation
import NNSpec

/// The report's confusion matrix: an HTML table, a row per true class and a column per predicted
/// class, each cell shaded by its share of the row (green on the diagonal, red off it), with each
/// class's recall at the row's end.
enum ConfusionMatrixTable {
    /// Beyond this many classes the table would be unreadable; the section says so instead.
    static let classLimit = 40

    static func html(_ matrix: ConfusionMatrix) -> String {
        var html = "<section class=\"confusion\"><div><h2>Confusion matrix of the test split</h2>\n"
        html += "<p>\(formatCount(matrix.correct)) of \(formatCount(matrix.samples)) test samples on the diagonal;"
            + " rows: true class, columns: predicted class.</p>\n"
        guard matrix.classCount <= classLimit else {
            return html + "<p class=\"note\">\(matrix.classCount) classes are too many to draw (at most \(classLimit)).</p></div></section>\n"
        }
        html += "<table class=\"confusion\">\n<tr><th>true \\ predicted</th>"
        html += (0 ..< matrix.classCount).map { "<th>\($0)</th>" }.joined() + "<th>recall</th></tr>\n"
        for (target, row) in matrix.counts.enumerated() {
            let total = row.reduce(0, +)
            html += "<tr><th>\(target)</th>"
            for (predicted, count) in row.enumerated() {
                let share = total > 0 ? Double(count) / Double(total) : 0
                let color = predicted == target ? "46,139,87" : "200,50,50"
                let shade = count > 0 ? " style=\"background:rgba(\(color),\(String(format: "%.2f", 0.1 + 0.8 * share)))\"" : ""
                html += "<td\(shade)>\(count)</td>"
            }
            html += "<td>\(total > 0 ? String(format: "%.1f%%", 100 * Double(row[target]) / Double(total)) : "–")</td></tr>\n"
        }
        return html + "</table></div></section>\n"
    }
}
