/// Transposes the 16×16 square whose row i is `row(i)`: calls `transposedRow(j, (row(0)[j], …,
/// row(15)[j]))` for j in 0..<16. In registers: four rounds of interleaving row i with row i + 8
/// (each round moves one bit of the element index from the row number to the column number).
@inline(__always)
func transposeSquare(row: (Int) -> SIMD16<Float>, transposedRow: (Int, SIMD16<Float>) -> Void) {
    var r = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7),
             row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15))
    for _ in 0..<4 {
        r = (interleaving(r.0.lowHalf, r.8.lowHalf), interleaving(r.0.highHalf, r.8.highHalf),
             interleaving(r.1.lowHalf, r.9.lowHalf), interleaving(r.1.highHalf, r.9.highHalf),
             interleaving(r.2.lowHalf, r.10.lowHalf), interleaving(r.2.highHalf, r.10.highHalf),
             interleaving(r.3.lowHalf, r.11.lowHalf), interleaving(r.3.highHalf, r.11.highHalf),
             interleaving(r.4.lowHalf, r.12.lowHalf), interleaving(r.4.highHalf, r.12.highHalf),
             interleaving(r.5.lowHalf, r.13.lowHalf), interleaving(r.5.highHalf, r.13.highHalf),
             interleaving(r.6.lowHalf, r.14.lowHalf), interleaving(r.6.highHalf, r.14.highHalf),
             interleaving(r.7.lowHalf, r.15.lowHalf), interleaving(r.7.highHalf, r.15.highHalf))
    }
    transposedRow(0, r.0); transposedRow(1, r.1); transposedRow(2, r.2); transposedRow(3, r.3)
    transposedRow(4, r.4); transposedRow(5, r.5); transposedRow(6, r.6); transposedRow(7, r.7)
    transposedRow(8, r.8); transposedRow(9, r.9); transposedRow(10, r.10); transposedRow(11, r.11)
    transposedRow(12, r.12); transposedRow(13, r.13); transposedRow(14, r.14); transposedRow(15, r.15)
}

/// (a₀, b₀, a₁, b₁, …, a₇, b₇).
@inline(__always)
private func interleaving(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
    var result = SIMD16<Float>()
    result.evenHalf = a
    result.oddHalf = b
    return result
}
