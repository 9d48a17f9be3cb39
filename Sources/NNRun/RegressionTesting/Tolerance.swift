/// The comparison of a seen value with an expected one under a stated tolerance: absolute for
/// values up to 1 in magnitude, relative above (`|seen − expected| ≤ tolerance · max(1, |expected|)`),
/// so one tolerance suits a loss of 0.01 and a weight sum of 300 alike. NaN never matches.
public enum Tolerance {
    public static func accepts(_ seen: Double, expected: Double, tolerance: Double) -> Bool {
        if seen == expected { return true }
        return abs(seen - expected) <= tolerance * max(1, abs(expected))
    }
}
