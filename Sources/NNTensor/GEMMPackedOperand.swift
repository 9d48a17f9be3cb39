/// A right operand op(B) [K, N] packed once into the micro-kernel's column panels, for many products
/// that share it and differ in A and C: a recurrent layer's W_hh, read at every step by every block
/// of the batch (`RecurrentShape`). Packing it per product would copy all of it for a few rows.
///
/// Every element of C is computed as `sgemm`'s packed path computes it (the same products added in
/// the same order, K in blocks of `MatrixProduct.blockDepth`), so any split of A's rows between
/// threads gives the same bits.
struct PackedOperand {
    let depth: Int, columns: Int
    /// Panel q holds op(B)[p, q·NR + j] at `panels[q·NR·K + p·NR + j]` (NR = `MicroTile.columns`),
    /// zero past the last column.
    let panels: UnsafePointer<Float>

    /// Floats the panels of op(B) [k, n] take: n rounded up to whole panels, times k.
    static func count(k: Int, n: Int) -> Int { (n + MicroTile.columns - 1) / MicroTile.columns * MicroTile.columns * k }

    /// Packs op(B) [k, n], B stored as `sgemm` takes it (N × K when transposed), into `memory`
    /// (`count(k:n:)` floats).
    init(_ transB: Transpose, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int, into memory: UnsafeMutablePointer<Float>) {
        // packB reads only B's operands: A and C of this product are never touched.
        MatrixProduct(.none, transB, m: 0, n: n, k: k, alpha: 1, a: b, lda: k, b: b, ldb: ldb, beta: 0, c: memory, ldc: n)
            .packB(depth: 0..<k, columns: 0..<n, into: memory)
        (depth, columns, panels) = (k, n, UnsafePointer(memory))
    }

    /// C[rows, 0..<N] = A[rows, 0..<K] · op(B) + beta · C[rows, 0..<N], A row-major with row stride
    /// `lda`, C with `ldc`. `tile` holds `MicroTile.rows` × `MicroTile.columns` floats (partial tiles).
    func multiply(a: UnsafePointer<Float>, lda: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, rows: Range<Int>,
                  tile: UnsafeMutablePointer<Float>) {
        let panelWidth = MicroTile.columns
        for depthStart in stride(from: 0, to: depth, by: MatrixProduct.blockDepth) {
            let depthCount = min(MatrixProduct.blockDepth, depth - depthStart)
            let stepBeta = depthStart == 0 ? beta : 1
            // A block of B's columns stays in L2 while every row panel of A runs over it.
            for blockStart in stride(from: 0, to: columns, by: MatrixProduct.blockColumns) {
                let blockEnd = min(blockStart + MatrixProduct.blockColumns, columns)
                for panelRow in stride(from: rows.lowerBound, to: rows.upperBound, by: MicroTile.rows) {
                    for panelColumn in stride(from: blockStart, to: blockEnd, by: panelWidth) {
                        MicroTile.multiply(
                            depth: depthCount, a: a + panelRow * lda + depthStart, aRowStride: lda, aDepthStride: 1,
                            b: panels + panelColumn * depth + depthStart * panelWidth, bRowStride: panelWidth,
                            alpha: 1, beta: stepBeta, c: c + panelRow * ldc + panelColumn, ldc: ldc, transposedC: false,
                            rowCount: min(MicroTile.rows, rows.upperBound - panelRow),
                            columnCount: min(panelWidth, columns - panelColumn), tile: tile)
                    }
                }
            }
        }
    }
}
