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
