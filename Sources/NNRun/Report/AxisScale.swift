import Foundation

/// A chart axis: its range and ticks at "nice" numbers (1, 2 or 5 × 10ⁿ on a linear axis, powers of
/// ten on a logarithmic one), mapping values to pixel positions.
struct AxisScale {
    /// The ends of the axis (values; on a log axis, positive).
    let lower: Double
    let upper: Double
    let ticks: [Double]
    let isLogarithmic: Bool

    /// A linear axis covering `values` (finite ones only) with about `tickCount` ticks. A single value,
    /// or none, still gives a range around it.
    /// Values that differ by less than a millionth of their size (a float32 loss and its float64
    /// epoch mean) count as one value. `wholeNumbers`: ticks at integers only (steps).
    static func linear(covering values: [Double], tickCount: Int = 5, wholeNumbers: Bool = false) -> AxisScale {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if high - low <= 1e-6 * max(abs(low), abs(high)) {
            let middle = (low + high) / 2
            let pad = wholeNumbers || middle == 0 ? 1 : abs(middle) * 0.5
            (low, high) = (middle - pad, middle + pad)
        }
        let rough = niceStep((high - low) / Double(max(tickCount, 1)))
        let step = wholeNumbers ? max(rough, 1) : rough
        let lower = (low / step).rounded(.down) * step, upper = (high / step).rounded(.up) * step
        let count = Int(((upper - lower) / step).rounded())
        let ticks = (0 ... count).map { lower + Double($0) * step }.map { abs($0) < step * 1e-9 ? 0 : $0 }
        return AxisScale(lower: lower, upper: upper, ticks: ticks, isLogarithmic: false)
    }

    /// A logarithmic axis from the power of ten below the smallest positive finite value to the one
    /// above the largest, a tick every decade, or every few decades so that there are at most
    /// `tickCount` + 1 (a diverging loss spans 38); nil when there is no positive finite value.
    static func logarithmic(covering values: [Double], tickCount: Int = 6) -> AxisScale? {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        guard let low = positive.min(), let high = positive.max() else { return nil }
        var first = Int(log10(low).rounded(.down)), last = max(Int(log10(high).rounded(.up)), first + 1)
        let stride = Int(niceStep(Double(last - first) / Double(max(tickCount, 1))).rounded(.up))
        first = Int((Double(first) / Double(stride)).rounded(.down)) * stride
        last = Int((Double(last) / Double(stride)).rounded(.up)) * stride
        let ticks = Swift.stride(from: first, through: last, by: stride).map { pow(10, Double($0)) }
        return AxisScale(lower: ticks.first!, upper: ticks.last!, ticks: ticks, isLogarithmic: true)
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at least `rough` (positive).
    static func niceStep(_ rough: Double) -> Double {
        let magnitude = pow(10, log10(rough).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough * (1 - 1e-12) } ?? 10 * magnitude
    }

    /// Where `value` falls between the ends, 0 at `lower` and 1 at `upper`; nil for a value the axis
    /// cannot place (not finite, or not positive on a log axis).
    func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if isLogarithmic {
            guard value > 0 else { return nil }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// A tick's label: as few digits as the ticks' spacing needs (`0.25`, `1e-3` on a log axis).
    func label(_ value: Double) -> String {
        if isLogarithmic {
            let exponent = Int(log10(value).rounded())
            return (-3 ... 4).contains(exponent) ? Self.plain(value, decimals: max(0, -exponent)) : "1e\(exponent)"
        }
        let spacing = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = max(0, -Int(log10(spacing).rounded(.down)))
        if abs(value) >= 1e6 || (value != 0 && abs(value) < 1e-4) || decimals > 6 { return String(format: "%.3g", value) }
        return Self.plain(value, decimals: decimals)
    }

    private static func plain(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(min(decimals, 10))f", value)
    }
}
