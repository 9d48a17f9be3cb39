/// A product with a single row of op(A): a vector times a matrix, as a Linear layer at batch 1 runs
/// it (y = x · Wᵀ forward, dx = dy · W backward). The register-blocked kernel would compute six rows
/// and keep one; this one streams B once.
extension MatrixProduct {
    /// Columns handled per block of accumulators in `multiplySingleRow` (the pool splits on them).
    static let singleRowBlock = 64

    /// C[0, columns] = alpha · op(A)[0, :] · op(B)[:, columns] + beta · C[0, columns]; `m` must be 1.
    /// Every element is summed over K in order, so the split over columns does not change it.
    func multiplySingleRow(columns: Range<Int>) {
        let aStep = transA == .none ? 1 : lda
        switch transB {
        case .none:
            // C[0, j] = Σ_p A[p] · B[p, j]: 16 columns per vector, four vectors per pass over K.
            var column = columns.lowerBound
            while column + Self.singleRowBlock <= columns.upperBound {
                var sum0 = SIMD16<Float>(), sum1 = SIMD16<Float>(), sum2 = SIMD16<Float>(), sum3 = SIMD16<Float>()
                for p in 0..<k {
                    let x = a[p * aStep], row = b + p * ldb + column
                    sum0.addProduct(x, loadVector(row)); sum1.addProduct(x, loadVector(row + 16))
                    sum2.addProduct(x, loadVector(row + 32)); sum3.addProduct(x, loadVector(row + 48))
                }
                storeScaled(sum0, alpha: alpha, beta: beta, into: c + column)
                storeScaled(sum1, alpha: alpha, beta: beta, into: c + column + 16)
                storeScaled(sum2, alpha: alpha, beta: beta, into: c + column + 32)
                storeScaled(sum3, alpha: alpha, beta: beta, into: c + column + 48)
                column += Self.singleRowBlock
            }
            while column + 16 <= columns.upperBound {
                var sum = SIMD16<Float>()
                for p in 0..<k { sum.addProduct(a[p * aStep], loadVector(b + p * ldb + column)) }
                storeScaled(sum, alpha: alpha, beta: beta, into: c + column)
                column += 16
            }
            for j in column..<columns.upperBound {
                var sum: Float = 0
                for p in 0..<k { sum += a[p * aStep] * b[p * ldb + j] }
                storeScaled(sum, alpha: alpha, beta: beta, into: c + j)
            }
        case .transposed:
            // C[0, j] = A · B[j, :], B's rows contiguous along K: dot products in 16 lanes.
            let vectorDepth = aStep == 1 ? k / 16 * 16 : 0
            for j in columns {
                let row = b + j * ldb
                var lanes = SIMD16<Float>()
                for p in stride(from: 0, to: vectorDepth, by: 16) { lanes.addProduct(loadVector(a + p), loadVector(row + p)) }
                var sum = lanes.sum()
                for p in vectorDepth..<k { sum += a[p * aStep] * row[p] }
                storeScaled(sum, alpha: alpha, beta: beta, into: c + j)
            }
        }
    }
}
