/// The matrix products of a Linear layer over R rows (every leading dimension of the input),
/// shared by autograd's `linear` and a `TrainingPlan`.
/// Pointers: x [R, in], w [out, in], b [out], y and dy [R, out], dx [R, in]; all non-empty.
public struct LinearShape {
    public let rows: Int, inFeatures: Int, outFeatures: Int

    public init(rows: Int, inFeatures: Int, outFeatures: Int) {
        (self.rows, self.inFeatures, self.outFeatures) = (rows, inFeatures, outFeatures)
    }

    /// y = x · Wᵀ + b; y need not be initialised. The bias rows are written in parts over the pool when large.
    public func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        if let b {
            let pool = WorkerPool.shared
            pool.forEachBlock(of: 0..<rows, parts: pool.balancedParts(for: rows, elements: rows * outFeatures),
                              context: (b, y, outFeatures)) { context, _, rows in
                let (b, y, width) = context
                for row in rows { (y + row * width).update(from: b, count: width) }
            }
        }
        sgemm(.none, .transposed, m: rows, n: outFeatures, k: inFeatures, alpha: 1, a: x, lda: inFeatures, b: w, ldb: inFeatures,
              beta: b == nil ? 0 : 1, c: y, ldc: outFeatures)
    }

    /// dW = dYᵀ · X + beta · dW (dW is not read when beta is 0).
    public func accumulateWeightGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>, beta: Float = 1) {
        sgemm(weightGradientProduct(x: x, dy: dy, dw: dw, beta: beta))
    }

    /// `accumulateWeightGradient` and `inputGradient` as one job on the worker pool (the same results).
    public func accumulateGradients(x: UnsafePointer<Float>, w: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dw: UnsafeMutablePointer<Float>, beta: Float, dx: UnsafeMutablePointer<Float>) {
        sgemm(weightGradientProduct(x: x, dy: dy, dw: dw, beta: beta), inputGradientProduct(w: w, dy: dy, dx: dx))
    }

    /// db += column sums of dY.
    public func accumulateBiasGradient(dy: UnsafePointer<Float>, db: UnsafeMutablePointer<Float>) {
        accumulateAxisSums(outer: rows, size: outFeatures, inner: 1, input: dy, sums: db)
    }

    /// dX = dY · W; dx need not be initialised.
    public func inputGradient(w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        sgemm(inputGradientProduct(w: w, dy: dy, dx: dx))
    }

    private func weightGradientProduct(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
                                       beta: Float) -> MatrixProduct {
        MatrixProduct(.transposed, .none, m: outFeatures, n: inFeatures, k: rows, alpha: 1, a: dy, lda: outFeatures, b: x,
                      ldb: inFeatures, beta: beta, c: dw, ldc: inFeatures)
    }

    private func inputGradientProduct(w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) -> MatrixProduct {
        MatrixProduct(.none, .none, m: rows, n: inFeatures, k: outFeatures, alpha: 1, a: dy, lda: outFeatures, b: w,
                      ldb: inFeatures, beta: 0, c: dx, ldc: inFeatures)
    }
}
