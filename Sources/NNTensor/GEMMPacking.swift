/// Copies of op(A) and op(B) blocks laid out in the order the micro-kernel reads them, so that its
/// loads are contiguous whatever the transposes and leading dimensions.
extension MatrixProduct {
    /// Aᵀ stored K × M → row panels of op(A)[rows, depth]: panel q holds, for each p, the values
    /// op(A)[rows.lowerBound + q·MR + r, p] for r in 0..<MR contiguously (rows past the end unset).
    func packTransposedA(rows: Range<Int>, depth: Range<Int>, into packed: UnsafeMutablePointer<Float>) {
        let panelRows = MicroTile.rows, panelSize = depth.count * panelRows
        for p in 0..<depth.count {
            let source = a + (depth.lowerBound + p) * lda + rows.lowerBound
            for panelStart in stride(from: 0, to: rows.count, by: panelRows) {
                let destination = packed + panelStart / panelRows * panelSize + p * panelRows
                for r in 0..<min(panelRows, rows.count - panelStart) { destination[r] = source[panelStart + r] }
            }
        }
    }

    /// op(B)[depth, columns] → panels of `MicroTile.columns` columns: panel q holds, for each p,
    /// the values op(B)[p, columns.lowerBound + q·NR + j] for j in 0..<NR, zero past the last column.
    func packB(depth: Range<Int>, columns: Range<Int>, into packed: UnsafeMutablePointer<Float>) {
        let panelColumns = MicroTile.columns, depthCount = depth.count
        switch transB {
        case .none:
            // Row by row of B, so that each of its rows is read in one sequential sweep.
            for p in 0..<depthCount {
                let sourceRow = b + (depth.lowerBound + p) * ldb
                for panelStart in stride(from: columns.lowerBound, to: columns.upperBound, by: panelColumns) {
                    let source = sourceRow + panelStart
                    let destination = packed + (panelStart - columns.lowerBound) * depthCount + p * panelColumns
                    let validColumns = min(panelColumns, columns.upperBound - panelStart)
                    if validColumns == panelColumns {
                        storeVector(loadVector(source), destination)
                        storeVector(loadVector(source + 16), destination + 16)
                    } else {
                        for j in 0..<panelColumns { destination[j] = j < validColumns ? source[j] : 0 }
                    }
                }
            }
        case .transposed:
            for panelStart in stride(from: columns.lowerBound, to: columns.upperBound, by: panelColumns) {
                let panel = packed + (panelStart - columns.lowerBound) * depthCount
                let validColumns = min(panelColumns, columns.upperBound - panelStart)
                // Column j of the panel is row panelStart + j of the stored B, contiguous along K:
                // transpose it 16 × 16 at a time.
                func storedRow(_ j: Int) -> UnsafePointer<Float>? {
                    j < validColumns ? b + (panelStart + j) * ldb + depth.lowerBound : nil
                }
                let vectorDepth = depthCount / 16 * 16
                for half in stride(from: 0, to: panelColumns, by: 16) {
                    for p in stride(from: 0, to: vectorDepth, by: 16) {
                        transpose16x16(
                            row: { r in storedRow(half + r).map { loadVector($0 + p) } ?? SIMD16() },
                            store: { q, column in storeVector(column, panel + (p + q) * panelColumns + half) })
                    }
                }
                for p in vectorDepth..<depthCount {
                    for j in 0..<panelColumns { panel[p * panelColumns + j] = storedRow(j)?[p] ?? 0 }
                }
            }
        }
    }
}

/// Transposes the 16 × 16 block whose row r is `row(r)`, passing its column q to `store(q, _)`.
/// Four rounds of de-interleaving pairs of rows: each round rotates the 8 bits (row, lane) of every
/// element's position right by one, so after four the row and lane bits have swapped.
@inline(__always)
func transpose16x16(row: (Int) -> SIMD16<Float>, store: (Int, SIMD16<Float>) -> Void) {
    func evens(_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> { SIMD16(lowHalf: x.evenHalf, highHalf: y.evenHalf) }
    func odds(_ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> { SIMD16(lowHalf: x.oddHalf, highHalf: y.oddHalf) }
    var (m0, m1, m2, m3, m4, m5, m6, m7) = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
    var (m8, m9, m10, m11, m12, m13, m14, m15) = (row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15))
    for _ in 0..<4 {
        (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15) = (
            evens(m0, m1), evens(m2, m3), evens(m4, m5), evens(m6, m7),
            evens(m8, m9), evens(m10, m11), evens(m12, m13), evens(m14, m15),
            odds(m0, m1), odds(m2, m3), odds(m4, m5), odds(m6, m7),
            odds(m8, m9), odds(m10, m11), odds(m12, m13), odds(m14, m15))
    }
    store(0, m0); store(1, m1); store(2, m2); store(3, m3); store(4, m4); store(5, m5); store(6, m6); store(7, m7)
    store(8, m8); store(9, m9); store(10, m10); store(11, m11); store(12, m12); store(13, m13); store(14, m14); store(15, m15)
}
