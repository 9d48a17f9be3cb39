import Foundation

/// A number as failure messages show it: rounded to `significantDigits`, in Swift's shortest
/// form, without a trailing ".0" (0.65, 1e-05, 2, 1.36060715).
func messageText(_ value: Double, significantDigits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    let rounded = Double(String(format: "%.\(significantDigits)g", value)) ?? value
    let text = "\(rounded)"
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}
