/// Copies of op(A) and op(B) blocks laid out in the order the micro-kernel reads them, so that its
/// loads are contiguous whatever the transposes and leading dimensions.
extension MatrixProduct {
    /// op(A)[rows, depth] → micro-panels of `MicroTile.rows` rows: panel q holds, for each p,
    /// the values op(A)[rows.lowerBound + q·MR + r, p] for r in 0..<MR, zero past the last row.
    func packA(rows: Range<Int>, depth: Range<Int>, into packed: UnsafeMutablePointer<Float>) {
        let panelRows = MicroTile.rows, depthCount = depth.count
        for panelStart in stride(from: rows.lowerBound, to: rows.upperBound, by: panelRows) {
            let panel = packed + (panelStart - rows.lowerBound) * depthCount
            let validRows = min(panelRows, rows.upperBound - panelStart)
            switch transA {
            case .none:
                for r in 0..<validRows {
                    let source = a + (panelStart + r) * lda + depth.lowerBound
                    for p in 0..<depthCount { panel[p * panelRows + r] = source[p] }
                }
            case .transposed:
                for p in 0..<depthCount {
                    let source = a + (depth.lowerBound + p) * lda + panelStart
                    for r in 0..<validRows { panel[p * panelRows + r] = source[r] }
                }
            }
            for r in validRows..<panelRows {
                for p in 0..<depthCount { panel[p * panelRows + r] = 0 }
            }
        }
    }

    /// op(B)[depth, columns] → panels of `MicroTile.columns` columns: panel q holds, for each p,
    /// the values op(B)[p, columns.lowerBound + q·NR + j] for j in 0..<NR, zero past the last column.
    func packB(depth: Range<Int>, columns: Range<Int>, into packed: UnsafeMutablePointer<Float>) {
        let panelColumns = MicroTile.columns, depthCount = depth.count
        for panelStart in stride(from: columns.lowerBound, to: columns.upperBound, by: panelColumns) {
            let panel = packed + (panelStart - columns.lowerBound) * depthCount
            let validColumns = min(panelColumns, columns.upperBound - panelStart)
            switch transB {
            case .none:
                for p in 0..<depthCount {
                    let source = b + (depth.lowerBound + p) * ldb + panelStart
                    let destination = panel + p * panelColumns
                    if validColumns == panelColumns {
                        storeVector(loadVector(source), destination)
                        storeVector(loadVector(source + 16), destination + 16)
                    } else {
                        for j in 0..<validColumns { destination[j] = source[j] }
                        for j in validColumns..<panelColumns { destination[j] = 0 }
                    }
                }
            case .transposed:
                for j in 0..<validColumns {
                    let source = b + (panelStart + j) * ldb + depth.lowerBound
                    for p in 0..<depthCount { panel[p * panelColumns + j] = source[p] }
                }
                for j in validColumns..<panelColumns {
                    for p in 0..<depthCount { panel[p * panelColumns + j] = 0 }
                }
            }
        }
    }
}
