/// Transposes the 16×16 square whose row i is `row(i)`: calls `transposedRow(j, (row(0)[j], …,
/// row(15)[j]))` for j in 0..<16. In registers: four rounds of interleaving row i with row i + 8
/// (each round moves one bit of the element index from the row number to the column number).
@inline(__always)
func transposeSquare(row: (Int) -> SIMD16<Float>, transposedRow: (Int, SIMD16<Float>) -> Void) {
    var r = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7),
             row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15))
    for _ in 0..<4 {
        r = (interleavingLowHalves(r.0, r.8), interleavingHighHalves(r.0, r.8),
             interleavingLowHalves(r.1, r.9), interleavingHighHalves(r.1, r.9),
             interleavingLowHalves(r.2, r.10), interleavingHighHalves(r.2, r.10),
             interleavingLowHalves(r.3, r.11), interleavingHighHalves(r.3, r.11),
             interleavingLowHalves(r.4, r.12), interleavingHighHalves(r.4, r.12),
             interleavingLowHalves(r.5, r.13), interleavingHighHalves(r.5, r.13),
             interleavingLowHalves(r.6, r.14), interleavingHighHalves(r.6, r.14),
             interleavingLowHalves(r.7, r.15), interleavingHighHalves(r.7, r.15))
    }
    transposedRow(0, r.0); transposedRow(1, r.1); transposedRow(2, r.2); transposedRow(3, r.3)
    transposedRow(4, r.4); transposedRow(5, r.5); transposedRow(6, r.6); transposedRow(7, r.7)
    transposedRow(8, r.8); transposedRow(9, r.9); transposedRow(10, r.10); transposedRow(11, r.11)
    transposedRow(12, r.12); transposedRow(13, r.13); transposedRow(14, r.14); transposedRow(15, r.15)
}

// The two shuffles are written lane by lane, which the compiler turns into one two-vector
// permutation each. Through the standard library's `lowHalf`/`evenHalf` accessors instead, the code
// depended on the compiler inlining those generic loops, which it stops doing when the module grows.

/// (a₀, b₀, a₁, b₁, …, a₇, b₇).
@inline(__always)
private func interleavingLowHalves(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
}

/// (a₈, b₈, a₉, b₉, …, a₁₅, b₁₅).
@inline(__always)
private func interleavingHighHalves(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[8], b[8], a[9], b[9], a[10], b[10], a[11], b[11], a[12], b[12], a[13], b[13], a[14], b[14], a[15], b[15])
}
