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
                        transposeSquare(
                            row: { r in storedRow(half + r).map { loadVector($0 + p) } ?? SIMD16() },
                            transposedRow: { q, column in storeVector(column, panel + (p + q) * panelColumns + half) })
                    }
                }
                for p in vectorDepth..<depthCount {
                    for j in 0..<panelColumns { panel[p * panelColumns + j] = storedRow(j)?[p] ?? 0 }
                }
            }
        }
    }
}
