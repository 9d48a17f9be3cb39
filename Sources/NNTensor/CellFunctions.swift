/// The recurrent cells' exp, sigmoid and tanh over 16 lanes, in plain IEEE operations (no library
/// call), so every lane of every cell gives the same bits wherever it lies in a row. Cephes'
/// `expf` and `tanhf` algorithms; within 2 ulp of the C library's `expf` and `tanhf`
/// (RecurrentCellTests), where glibc's `tanhf` (through `expm1f`) took 41% of an LSTM's training step.
enum CellFunctions {
    /// eˣ: x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-7 polynomial for eʳ, times 2ⁿ (in two factors,
    /// so that n up to 129 and down to −150 scale right). +∞ above 88.72 and 0 below −103.97; NaN stays NaN.
    @_transparent static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let clamped = x.replacing(with: -104, where: x .< -104).replacing(with: 89, where: x .> 89)
        // n = x·log₂e rounded to the nearest integer by adding 1.5·2²³, which leaves n in the low bits.
        let shifted = clamped * 1.44269504088896341 + 12582912
        let n = shifted - 12582912
        let power = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        let r = clamped - n * 0.693359375 - n * -2.12194440e-4
        let z = r * r
        var p = 1.9875691500e-4 * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let half = power &>> 1
        let y = (p * z + r + 1) * scale(half) * scale(power &- half)
        return y.replacing(with: .infinity, where: x .> 88.7228391).replacing(with: 0, where: x .< -103.972077)
            .replacing(with: x, where: x .!= x)
    }

    /// 2ⁿ for n in −126…127, built from its exponent bits.
    @_transparent private static func scale(_ n: SIMD16<Int32>) -> SIMD16<Float> {
        unsafeBitCast((n &+ 127) &<< 23, to: SIMD16<Float>.self)
    }

    /// 1 / (1 + e⁻ˣ).
    @_transparent static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> { 1 / (1 + exp(-x)) }

    /// tanh(x): below |x| = 0.625 an odd polynomial, else 1 − 2 / (e^{2|x|} + 1); x's sign (−0 and
    /// NaN keep theirs).
    @_transparent static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let sign = unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x8000_0000
        let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) ^ sign, to: SIMD16<Float>.self)
        let s = magnitude * magnitude
        var p = -5.70498872745e-3 * s + 2.06390887954e-2
        p = p * s - 5.37397155531e-2
        p = p * s + 1.33314422036e-1
        p = p * s - 3.33332819422e-1
        let small = p * s * magnitude + magnitude
        let large = 1 - 2 / (exp(2 * magnitude) + 1)
        let value = large.replacing(with: small, where: .!(magnitude .>= 0.625))
        return unsafeBitCast(unsafeBitCast(value, to: SIMD16<UInt32>.self) | sign, to: SIMD16<Float>.self)
    }
}
