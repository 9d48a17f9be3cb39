/// Copies of op(A) and op(B) blocks laid out in the order the micro-kernel reads them, so that its
/// loads are contiguous whatever the transposes and leading dimensions. Each copy reads a few
/// sequential streams and writes one.
extension MatrixProduct {
    /// op(A)[rows, depth] → micro-panels of `MicroTile.rows` rows: panel q holds, for each p,
    /// the values op(A)[rows.lowerBound + q·MR + r, p] for r in 0..<MR, zero past the last row.
    func packA(rows: Range<Int>, depth: Range<Int>, into packed: UnsafeMutablePointer<Float>) {
        let panelRows = MicroTile.rows, depthCount = depth.count
        for panelStart in stride(from: rows.lowerBound, to: rows.upperBound, by: panelRows) {
            let panel = packed + (panelStart - rows.lowerBound) * depthCount
            let validRows = min(panelRows, rows.upperBound - panelStart)
            switch transA {
            case .none where validRows == panelRows:
                let row0 = a + panelStart * lda + depth.lowerBound
                let row1 = row0 + lda, row2 = row1 + lda, row3 = row2 + lda, row4 = row3 + lda, row5 = row4 + lda
                for p in 0..<depthCount {
                    let destination = panel + p * panelRows
                    destination[0] = row0[p]; destination[1] = row1[p]; destination[2] = row2[p]
                    destination[3] = row3[p]; destination[4] = row4[p]; destination[5] = row5[p]
                }
            case .none:
                for p in 0..<depthCount {
                    for r in 0..<panelRows {
                        panel[p * panelRows + r] = r < validRows ? a[(panelStart + r) * lda + depth.lowerBound + p] : 0
                    }
                }
            case .transposed:
                for p in 0..<depthCount {
                    let source = a + (depth.lowerBound + p) * lda + panelStart
                    for r in 0..<panelRows { panel[p * panelRows + r] = r < validRows ? source[r] : 0 }
                }
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
            for p in 0..<depthCount {
                let destination = panel + p * panelColumns
                switch transB {
                case .none where validColumns == panelColumns:
                    let source = b + (depth.lowerBound + p) * ldb + panelStart
                    storeVector(loadVector(source), destination)
                    storeVector(loadVector(source + 16), destination + 16)
                case .none:
                    let source = b + (depth.lowerBound + p) * ldb + panelStart
                    for j in 0..<panelColumns { destination[j] = j < validColumns ? source[j] : 0 }
                case .transposed:
                    let source = b + panelStart * ldb + depth.lowerBound + p
                    for j in 0..<panelColumns { destination[j] = j < validColumns ? source[j * ldb] : 0 }
                }
            }
        }
    }
}
