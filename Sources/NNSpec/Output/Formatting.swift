#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Every number the project prints goes through these functions (NNSpec does not load Foundation,
// so they call the C library's formatter themselves).

/// A count with thousands separators: 61,706.
public func formatCount(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (offset, digit) in digits.enumerated() {
        if offset > 0, (digits.count - offset) % 3 == 0 { grouped += "," }
        grouped.append(digit)
    }
    return value < 0 ? "-" + grouped : grouped
}

/// Bytes in binary units: 241.04 KiB, 3.47 EiB.
public func formatBytes(_ bytes: Int) -> String { formatBytes(Double(bytes)) }

/// Bytes in binary units, for sizes that may exceed `Int` (parameters × 4 of an absurd spec).
public func formatBytes(_ bytes: Double) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
    var value = bytes
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    if unit == 0 { return "\(Int(bytes)) B" }
    let rounded = (value * 100).rounded() / 100
    return "\(rounded) \(units[unit])"
}

/// `value` with `decimals` digits after the point, as C's `%.*f` prints it (correctly rounded,
/// ties to even on the exact binary value): 0.7867, -0.00, 14370, nan, inf.
public func formatFixed(_ value: Double, decimals: Int) -> String {
    cFormatted("%.*f", precision: decimals, value)
}

/// A number as failure messages show it: rounded to `digits` significant digits, in Swift's
/// shortest form, without a trailing ".0" (0.65, 1e-05, 2, 1.36060715).
public func formatSignificant(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    let rounded = Double(cFormatted("%.*g", precision: digits, value)) ?? value
    let text = "\(rounded)"
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}

/// `value` printed by `vsnprintf` with a format of one `*` precision (clamped to 0...99) and one double.
private func cFormatted(_ format: String, precision: Int, _ value: Double) -> String {
    let arguments: [any CVarArg] = [Int32(min(max(precision, 0), 99)), value]
    let length = withVaList(arguments) { vsnprintf(nil, 0, format, $0) }
    guard length > 0 else { return "" }
    var bytes = [CChar](repeating: 0, count: Int(length) + 1)
    _ = withVaList(arguments) { vsnprintf(&bytes, bytes.count, format, $0) }
    return String(decoding: bytes.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
