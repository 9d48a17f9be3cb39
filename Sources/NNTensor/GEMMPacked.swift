/// The general `sgemm` path: BLIS-style cache blocking around `MicroTile`.
///
/// Loops, outermost first: the rows in blocks of MC; K in blocks of KC (op(A)[MC, KC] packed once);
/// the columns in blocks of NC (op(B)[KC, NC] packed, or read in place, and kept in L2); then each
/// A micro-panel (KC × MR, kept in L1) against every B panel of the block, streamed from L2.
extension MatrixProduct {
    static let blockRows = 1020
    static let blockDepth = 512
    static let blockColumns = 256

    /// C[rows, columns] = alpha · op(A)[rows, :] · op(B)[:, columns] + beta · C[rows, columns].
    /// Disjoint `rows` or `columns` ranges may run on different threads with their own scratch.
    func multiplyPacked(rows: Range<Int>, columns: Range<Int>, scratch: GEMMScratch) {
        guard k > 0 else { return scaleC(rows: rows, columns: columns) }
        let blockRows = Self.blockRows, blockDepth = Self.blockDepth, blockColumns = Self.blockColumns
        // Few rows read each B panel only a few times: copying it would cost more than it saves.
        let readsBInPlace = transB == .none && rows.count <= 4 * MicroTile.rows
        let packedA = scratch.buffer(.packedA, count: blockRows * blockDepth)
        let packedB = scratch.buffer(.packedB, count: blockDepth * blockColumns)
        let tile = scratch.buffer(.tile, count: MicroTile.rows * MicroTile.columns)
        for rowStart in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
            let height = min(blockRows, rows.upperBound - rowStart)
            for depthStart in stride(from: 0, to: k, by: blockDepth) {
                let depth = depthStart..<min(depthStart + blockDepth, k)
                let stepBeta = depthStart == 0 ? beta : 1
                packA(rows: rowStart..<(rowStart + height), depth: depth, into: packedA)
                for columnStart in stride(from: columns.lowerBound, to: columns.upperBound, by: blockColumns) {
                    let width = min(blockColumns, columns.upperBound - columnStart)
                    let inPlaceWidth = readsBInPlace ? width / MicroTile.columns * MicroTile.columns : 0
                    packB(depth: depth, columns: (columnStart + inPlaceWidth)..<(columnStart + width), into: packedB)
                    for panelRow in stride(from: 0, to: height, by: MicroTile.rows) {
                        let aPanel = packedA + panelRow * depth.count
                        for panelColumn in stride(from: 0, to: width, by: MicroTile.columns) {
                            let inPlace = panelColumn < inPlaceWidth
                            let bPanel = inPlace
                                ? b + depth.lowerBound * ldb + columnStart + panelColumn
                                : UnsafePointer(packedB + (panelColumn - inPlaceWidth) * depth.count)
                            MicroTile.multiply(
                                depth: depth.count, a: aPanel, b: bPanel,
                                bRowStride: inPlace ? ldb : MicroTile.columns,
                                alpha: alpha, beta: stepBeta,
                                c: c + (rowStart + panelRow) * ldc + columnStart + panelColumn, ldc: ldc,
                                rowCount: min(MicroTile.rows, height - panelRow),
                                columnCount: min(MicroTile.columns, width - panelColumn), tile: tile)
                        }
                    }
                }
            }
        }
    }

    /// C[rows, columns] = beta · C[rows, columns] (the product of an empty K).
    private func scaleC(rows: Range<Int>, columns: Range<Int>) {
        for i in rows {
            for j in columns { storeScaled(0, alpha: alpha, beta: beta, into: c + i * ldc + j) }
        }
    }
}
