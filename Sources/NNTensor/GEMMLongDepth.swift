/// A·Bᵀ when K dwarfs M and N, as in a convolution's weight gradient
/// (dW [OC, C·KH·KW] = dY [OC, OH·OW] · columnsᵀ): both operands are read in place along K, where
/// they are contiguous, and each element of C keeps a SIMD16 of partial sums until the end.
extension MatrixProduct {
    /// Rows of A and of B combined in one register block: 3 × 4 = 12 SIMD16 accumulators.
    static let depthBlockRowsOfA = 3, depthBlockRowsOfB = 4
    /// K per pass, so that the 7 rows a block reads stay in L1 while every block of the pass runs.
    static let depthChunk = 512

    /// Whether `multiplyAlongDepth` suits this product better than the packed kernel.
    var suitsLongDepthKernel: Bool {
        transA == .none && transB == .transposed && k >= 256 && k >= 4 * max(m, n) && m * n <= 4096
    }

    /// C[rows, columns] = alpha · A[rows, :] · B[columns, :]ᵀ + beta · C[rows, columns].
    /// Disjoint `rows` or `columns` ranges may run on different threads with their own scratch.
    func multiplyAlongDepth(rows: Range<Int>, columns: Range<Int>, scratch: GEMMScratch) {
        let vectorDepth = k / 16 * 16
        let sums = scratch.buffer(.partialSums, count: rows.count * columns.count * 16)
        sums.update(repeating: 0, count: rows.count * columns.count * 16)
        for chunkStart in stride(from: 0, to: vectorDepth, by: Self.depthChunk) {
            let chunk = chunkStart..<min(chunkStart + Self.depthChunk, vectorDepth)
            for i in stride(from: rows.lowerBound, to: rows.upperBound, by: Self.depthBlockRowsOfA) {
                for j in stride(from: columns.lowerBound, to: columns.upperBound, by: Self.depthBlockRowsOfB) {
                    accumulateBlock(row: i, column: j, rows: rows, columns: columns, depth: chunk, sums: sums)
                }
            }
        }
        for i in rows {
            for j in columns {
                let slot = sums + ((i - rows.lowerBound) * columns.count + j - columns.lowerBound) * 16
                var sum = loadVector(slot).sum()
                for p in vectorDepth..<k { sum += a[i * lda + p] * b[j * ldb + p] }
                storeScaled(sum, alpha: alpha, beta: beta, into: c + i * ldc + j)
            }
        }
    }

    /// Adds A[row..<row+3, depth] · B[column..<column+4, depth]ᵀ, lane by lane, into the partial sums.
    /// Past the last row (column) the block repeats it: the repeat computes the same sums from the
    /// same starting values and stores them to the same slot, so no edge code is needed.
    private func accumulateBlock(row: Int, column: Int, rows: Range<Int>, columns: Range<Int>,
                                 depth: Range<Int>, sums: UnsafeMutablePointer<Float>) {
        func rowOfA(_ offset: Int) -> Int { min(row + offset, rows.upperBound - 1) }
        func rowOfB(_ offset: Int) -> Int { min(column + offset, columns.upperBound - 1) }
        func slot(_ i: Int, _ j: Int) -> UnsafeMutablePointer<Float> {
            sums + ((rowOfA(i) - rows.lowerBound) * columns.count + rowOfB(j) - columns.lowerBound) * 16
        }
        let a0 = a + rowOfA(0) * lda, a1 = a + rowOfA(1) * lda, a2 = a + rowOfA(2) * lda
        let b0 = b + rowOfB(0) * ldb, b1 = b + rowOfB(1) * ldb
        let b2 = b + rowOfB(2) * ldb, b3 = b + rowOfB(3) * ldb
        var s00 = loadVector(slot(0, 0)), s01 = loadVector(slot(0, 1))
        var s02 = loadVector(slot(0, 2)), s03 = loadVector(slot(0, 3))
        var s10 = loadVector(slot(1, 0)), s11 = loadVector(slot(1, 1))
        var s12 = loadVector(slot(1, 2)), s13 = loadVector(slot(1, 3))
        var s20 = loadVector(slot(2, 0)), s21 = loadVector(slot(2, 1))
        var s22 = loadVector(slot(2, 2)), s23 = loadVector(slot(2, 3))
        for p in stride(from: depth.lowerBound, to: depth.upperBound, by: 16) {
            let x0 = loadVector(a0 + p), x1 = loadVector(a1 + p), x2 = loadVector(a2 + p)
            let y0 = loadVector(b0 + p), y1 = loadVector(b1 + p)
            let y2 = loadVector(b2 + p), y3 = loadVector(b3 + p)
            s00.addProduct(x0, y0); s01.addProduct(x0, y1); s02.addProduct(x0, y2); s03.addProduct(x0, y3)
            s10.addProduct(x1, y0); s11.addProduct(x1, y1); s12.addProduct(x1, y2); s13.addProduct(x1, y3)
            s20.addProduct(x2, y0); s21.addProduct(x2, y1); s22.addProduct(x2, y2); s23.addProduct(x2, y3)
        }
        storeVector(s00, slot(0, 0)); storeVector(s01, slot(0, 1))
        storeVector(s02, slot(0, 2)); storeVector(s03, slot(0, 3))
        storeVector(s10, slot(1, 0)); storeVector(s11, slot(1, 1))
        storeVector(s12, slot(1, 2)); storeVector(s13, slot(1, 3))
        storeVector(s20, slot(2, 0)); storeVector(s21, slot(2, 1))
        storeVector(s22, slot(2, 2)); storeVector(s23, slot(2, 3))
    }
}
