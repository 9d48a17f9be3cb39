/// The error function over 16 lanes in plain IEEE operations (no library call), so every element
/// of a GELU gives the same bits wherever it lies: Abramowitz and Stegun's 7.1.26, as PyTorch's
/// vectorised CPU `erf` (which its GELU uses), erf(x) = sign(x) · (1 − t·P(t)·e^(−x²)) with
/// t = 1 / (1 + 0.3275911·|x|); within 6·10⁻⁷ of the C library's `erff` (ErrorFunctionTests),
/// where glibc's `erff` took a quarter of a GELU transformer's training step.
enum ErrorFunction {
    /// erf(x), given `gaussian` = e^(−x²) (which GELU's slope shares). ±1 at ±∞; NaN stays NaN.
    @inline(__always) static func erf(_ x: SIMD16<Float>, gaussian: SIMD16<Float>) -> SIMD16<Float> {
        let sign = unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x8000_0000
        let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) ^ sign, to: SIMD16<Float>.self)
        let t = 1 / (0.3275911 * magnitude + 1)
        var p = 1.061405429 * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        let value = 1 - p * t * gaussian
        return unsafeBitCast(unsafeBitCast(value, to: SIMD16<UInt32>.self) | sign, to: SIMD16<Float>.self)
    }

    /// erf(x).
    @inline(__always) static func erf(_ x: SIMD16<Float>) -> SIMD16<Float> { erf(x, gaussian: CellFunctions.exp(-(x * x))) }
}
