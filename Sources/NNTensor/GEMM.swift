/// Single-precision matrix multiply, row-major: C = alpha · op(A) · op(B) + beta · C.
///
/// Shapes: op(A) is M×K, op(B) is K×N, C is M×N. `lda`, `ldb`, `ldc` are the row strides of
/// A, B and C as stored (A stored K×M when transposed, B stored N×K when transposed).
/// With `beta == 0` C is overwritten without being read (a NaN already in C does not survive);
/// with `k == 0` C becomes beta · C.
public enum Transpose: Sendable {
    case none, transposed
}

/// The fast path. A single row of A (a Linear layer at batch 1) goes to a vector-times-matrix
/// kernel; A·Bᵀ with a long K and a small M×N (convolution weight gradients) to a kernel vectorised
/// along K; everything else to the packed, register-blocked SIMD kernel, which computes
/// Cᵀ = op(B)ᵀ · op(A)ᵀ instead when that spares it transposing a large B.
public func sgemm(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    sgemm(MatrixProduct(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                        beta: beta, c: c, ldc: ldc))
}

/// `sgemm` of the operands in `product`, split over the worker pool when it is large.
public func sgemm(_ product: MatrixProduct) {
    WorkerPool.shared.run(parts: product.parts, context: (product, product.parts)) { context, part in
        context.0.multiply(part: part, of: context.1)
    }
}

/// Two independent products (neither reads the other's C) as one job on the worker pool, the
/// parts of `first` claimed first: the same results as two `sgemm` calls, without waiting for the
/// end of the first before starting the second.
public func sgemm(_ first: MatrixProduct, _ second: MatrixProduct) {
    WorkerPool.shared.run(
        parts: first.parts, context: (first, first.parts), { context, part in context.0.multiply(part: part, of: context.1) },
        thenParts: second.parts, context: (second, second.parts), { context, part in context.0.multiply(part: part, of: context.1) })
}

extension MatrixProduct {
    /// Multiply-adds from which a product is split over the worker pool (about 2 µs of one core).
    static let parallelWork = 200_000

    /// The parts the worker pool computes this product in: none for an empty C.
    var parts: Int {
        guard m > 0, n > 0 else { return 0 }
        return m * n * k >= Self.parallelWork ? WorkerPool.shared.threadCount : 1
    }

    /// `multiply(part:of:scratch:)` with a scratch from the shared pool.
    func multiply(part: Int, of parts: Int) {
        GEMMScratch.withScratch { scratch in multiply(part: part, of: parts, scratch: scratch) }
    }

    /// Computes part `part` of `parts` of C: a band of its columns, or of its rows when it has too
    /// few columns. Every element is computed with the same operations whatever the split, so the
    /// result does not depend on the number of parts.
    func multiply(part: Int, of parts: Int, scratch: GEMMScratch) {
        if m == 1 {
            multiplySingleRow(columns: blockRange(part: part, of: parts, in: 0..<n, multiple: Self.singleRowBlock))
        } else if suitsLongDepthKernel {
            let splitsRows = (m + DotBlock.rowsOfA - 1) / DotBlock.rowsOfA > (n + DotBlock.rowsOfB - 1) / DotBlock.rowsOfB
            multiplyAlongDepth(
                rows: splitsRows ? blockRange(part: part, of: parts, in: 0..<m, multiple: DotBlock.rowsOfA) : 0..<m,
                columns: splitsRows ? 0..<n : blockRange(part: part, of: parts, in: 0..<n, multiple: DotBlock.rowsOfB),
                scratch: scratch)
        } else if prefersTransposedProduct {
            transposed().multiplyPacked(part: part, of: parts, scratch: scratch)
        } else {
            multiplyPacked(part: part, of: parts, scratch: scratch)
        }
    }

    private func multiplyPacked(part: Int, of parts: Int, scratch: GEMMScratch) {
        if splitsRows(parts: parts) {
            multiplyPacked(rows: blockRange(part: part, of: parts, in: 0..<m, multiple: MicroTile.rows), columns: 0..<n,
                           scratch: scratch)
        } else {
            multiplyPacked(rows: 0..<m, columns: blockRange(part: part, of: parts, in: 0..<n, multiple: MicroTile.columns),
                           scratch: scratch)
        }
    }

    /// Whether `parts` parts of the packed product take bands of C's rows rather than of its
    /// columns: when that makes the largest part smaller by more than a tenth, counted in the
    /// micro-kernel's vector steps (each row part packs all of B, each column part only its own
    /// columns). LeNet's fc2 forward (64 × 84 on two threads): columns split 32 / 52, which the
    /// micro-tiles compute as 32 / 64; rows split 30 / 34.
    func splitsRows(parts: Int) -> Bool {
        guard parts > 1, m >= 2 * MicroTile.rows else { return false }
        /// The micro-kernel's SIMD16 steps per depth step for a band of `rows` × `columns` of C.
        func vectorSteps(rows: Int, columns: Int) -> Int {
            let remainder = columns % MicroTile.columns
            let vectors = columns / MicroTile.columns * 2 + (remainder == 0 ? 0 : remainder <= 16 ? 1 : 2)
            return (rows + MicroTile.rows - 1) / MicroTile.rows * vectors
        }
        var largestRowPart = 0, largestColumnPart = 0
        for part in 0..<parts {
            let rows = blockRange(part: part, of: parts, in: 0..<m, multiple: MicroTile.rows).count
            let columns = blockRange(part: part, of: parts, in: 0..<n, multiple: MicroTile.columns).count
            largestRowPart = max(largestRowPart, vectorSteps(rows: rows, columns: n))
            largestColumnPart = max(largestColumnPart, vectorSteps(rows: m, columns: columns))
        }
        return 10 * largestRowPart < 9 * largestColumnPart
    }
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

/// One `sgemm` call's operands, shared by the kernels that split its work into blocks.
public struct MatrixProduct {
    let transA: Transpose, transB: Transpose
    let m: Int, n: Int, k: Int
    let alpha: Float
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>, ldc: Int
    /// Whether C is stored transposed, C[i, j] at `c[j · ldc + i]`: the product is Cᵀ of the call's.
    var transposesC = false

    /// The operands of `sgemm(transA, transB, m: …)`.
    public init(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
                a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        (self.transA, self.transB, self.m, self.n, self.k, self.alpha) = (transA, transB, m, n, k, alpha)
        (self.a, self.lda, self.b, self.ldb, self.beta, self.c, self.ldc) = (a, lda, b, ldb, beta, c, ldc)
    }

    /// C[i, j].
    @inline(__always) func elementOfC(_ i: Int, _ j: Int) -> UnsafeMutablePointer<Float> {
        transposesC ? c + j * ldc + i : c + i * ldc + j
    }

    /// Whether the packed kernel does better on `transposed()`: B stored N × K would have to be
    /// transposed into panels, while A is much smaller (weight gradients: dY [OC, OH·OW] · columnsᵀ
    /// with OC ≪ C·KH·KW); the price is scalar stores of C, one per K multiply-adds, while packing B
    /// costs a copy per M multiply-adds. So B is packed unless K is several times M: ResNet-18's
    /// 128- to 512-channel weight gradients over 64 to 256 positions store C in place.
    var prefersTransposedProduct: Bool { transB == .transposed && n >= 4 * m && k >= 4 * m }

    /// The same product as Cᵀ = op(B)ᵀ · op(A)ᵀ: B and A swap places (a stored operand read as its
    /// transpose is op-transposed again), M and N swap, and C is addressed transposed.
    func transposed() -> MatrixProduct {
        var product = MatrixProduct(transB == .none ? .transposed : .none, transA == .none ? .transposed : .none,
                                    m: n, n: m, k: k, alpha: alpha, a: b, lda: ldb, b: a, ldb: lda, beta: beta, c: c, ldc: ldc)
        product.transposesC = !transposesC
        return product
    }
}

/// destination = alpha · sum + beta · destination, not reading destination when `beta` is 0.
@inline(__always) func storeScaled(_ sum: Float, alpha: Float, beta: Float,
                                   into destination: UnsafeMutablePointer<Float>) {
    destination.pointee = beta == 0 ? alpha * sum : alpha * sum + beta * destination.pointee
}

/// Splits `range` into `parts` consecutive pieces whose boundaries fall on multiples of `multiple`
/// (counted from the start), as equal as that allows: the pieces a worker pool hands to each
/// thread, as `rows` or `columns` of `multiplyPacked` / `multiplyAlongDepth`.
func blockRange(part: Int, of parts: Int, in range: Range<Int>, multiple: Int) -> Range<Int> {
    let blocks = (range.count + multiple - 1) / multiple
    let start = blocks * part / parts * multiple, end = blocks * (part + 1) / parts * multiple
    return (range.lowerBound + min(start, range.count))..<(range.lowerBound + min(end, range.count))
}
