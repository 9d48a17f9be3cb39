/// The general `sgemm` path: BLIS-style cache blocking around `MicroTile`.
///
/// Loops, outermost first: K in blocks of KC; the rows in blocks of MC; the columns in blocks of
/// NC (op(B)[KC, NC] packed into panels, or read in place, and kept in L2); then each row panel of
/// A (MR × KC, kept in L1) against every B panel of the block, streamed from L2.
/// A is read in place, except a transposed A of many rows and a long K that many column panels
/// reread: a row panel of it is six floats `lda` apart per K step (on a power-of-two `lda`, all in
/// the same cache sets), so its block is copied. With few column panels the copy costs more than it
/// saves (bench/README.md, "Packing a transposed A").
extension MatrixProduct {
    static let blockDepth = 512
    static let blockRows = 240
    static let blockColumns = 256
    /// Floats of B (K × N) that may be read in place: about what L2 holds beside the rest.
    static let inPlaceBLimit = 65536
    /// Columns of C above which a transposed A is packed (four micro-tile panels).
    static let packedAColumnLimit = 4 * MicroTile.columns

    /// C[rows, columns] = alpha · op(A)[rows, :] · op(B)[:, columns] + beta · C[rows, columns].
    /// Disjoint `rows` or `columns` ranges may run on different threads with their own scratch.
    func multiplyPacked(rows: Range<Int>, columns: Range<Int>, scratch: GEMMScratch) {
        guard k > 0 else { return scaleC(rows: rows, columns: columns) }
        let blockDepth = Self.blockDepth, blockRows = Self.blockRows, blockColumns = Self.blockColumns
        // Few rows read each B panel (or A row) only a few times: copying would cost more than it
        // saves, unless several row panels reread a B too large to stay in cache (a copy then reads
        // it in sequential sweeps, which the prefetchers follow). Nor is a transposed A with a
        // short K copied: its panels stay in L1 anyway.
        let fewRows = rows.count <= 4 * MicroTile.rows
        let readsBInPlace = transB == .none
            && (rows.count <= MicroTile.rows || fewRows && k * columns.count <= Self.inPlaceBLimit)
        let packsA = transA == .transposed && !fewRows && k > 64 && columns.count > Self.packedAColumnLimit
        let packedA = scratch.buffer(.packedA, count: packsA ? blockRows * blockDepth : 0)
        let packedB = scratch.buffer(.packedB, count: blockDepth * blockColumns)
        let tile = scratch.buffer(.tile, count: MicroTile.rows * MicroTile.columns)
        for depthStart in stride(from: 0, to: k, by: blockDepth) {
            let depth = depthStart..<min(depthStart + blockDepth, k)
            let stepBeta = depthStart == 0 ? beta : 1
            for rowStart in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
                let rowBlock = rowStart..<min(rowStart + blockRows, rows.upperBound)
                if packsA { packTransposedA(rows: rowBlock, depth: depth, into: packedA) }
                for columnStart in stride(from: columns.lowerBound, to: columns.upperBound, by: blockColumns) {
                    let width = min(blockColumns, columns.upperBound - columnStart)
                    let inPlaceWidth = readsBInPlace ? width / MicroTile.columns * MicroTile.columns : 0
                    packB(depth: depth, columns: (columnStart + inPlaceWidth)..<(columnStart + width), into: packedB)
                    for panelRow in stride(from: rowBlock.lowerBound, to: rowBlock.upperBound, by: MicroTile.rows) {
                        let aPanel = packsA
                            ? UnsafePointer(packedA + (panelRow - rowBlock.lowerBound) * depth.count)
                            : a + (transA == .none ? panelRow * lda + depth.lowerBound : depth.lowerBound * lda + panelRow)
                        let (aRowStride, aDepthStride) = packsA ? (1, MicroTile.rows) : transA == .none ? (lda, 1) : (1, lda)
                        for panelColumn in stride(from: 0, to: width, by: MicroTile.columns) {
                            let inPlace = panelColumn < inPlaceWidth
                            let bPanel = inPlace
                                ? b + depth.lowerBound * ldb + columnStart + panelColumn
                                : UnsafePointer(packedB + (panelColumn - inPlaceWidth) * depth.count)
                            MicroTile.multiply(
                                depth: depth.count, a: aPanel, aRowStride: aRowStride, aDepthStride: aDepthStride,
                                b: bPanel, bRowStride: inPlace ? ldb : MicroTile.columns,
                                alpha: alpha, beta: stepBeta,
                                c: elementOfC(panelRow, columnStart + panelColumn), ldc: ldc, transposedC: transposesC,
                                rowCount: min(MicroTile.rows, rowBlock.upperBound - panelRow),
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
            for j in columns { storeScaled(0, alpha: alpha, beta: beta, into: elementOfC(i, j)) }
        }
    }
}
