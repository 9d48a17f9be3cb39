import Testing
@testable import NNTensor

/// M × N × K products covering edge tiles (not multiples of 6 or 32, narrower and wider than 16
/// columns), several K blocks (> 512), several column blocks (> 256), several row blocks (> 240),
/// many rows (> 24: B is packed, and a transposed A when K > 64 and N > 128), tiny sizes and single rows of A
/// (the vector kernel: blocks of 64 and 16 columns and a scalar tail, K past one vector).
private let shapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (1, 7, 33), (7, 1, 65), (6, 32, 16), (33, 49, 7), (65, 130, 33), (130, 57, 65),
    (13, 40, 1100), (200, 13, 700), (7, 290, 33), (130, 70, 20), (250, 7, 9), (70, 300, 100),
    (1, 150, 70), (1, 84, 600),
]
private let transposes: [(Transpose, Transpose)] = [
    (.none, .none), (.none, .transposed), (.transposed, .none), (.transposed, .transposed),
]

/// A product with its operands stored in arrays, leading dimensions `padding` wider than needed.
private struct Case {
    let transA: Transpose, transB: Transpose
    let m: Int, n: Int, k: Int
    let lda: Int, ldb: Int, ldc: Int
    let a: [Float], b: [Float], c: [Float]

    init(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, padding: Int = 0,
         seed: UInt64 = 1, fillC: Float? = nil) {
        var random = RandomGenerator(seed: seed)
        (self.transA, self.transB, self.m, self.n, self.k) = (transA, transB, m, n, k)
        let (aRows, aColumns) = transA == .none ? (m, k) : (k, m)
        let (bRows, bColumns) = transB == .none ? (k, n) : (n, k)
        (lda, ldb, ldc) = (aColumns + padding, bColumns + padding, n + padding)
        a = (0..<(aRows * lda)).map { _ in random.uniform(-1, 1) }
        b = (0..<(bRows * ldb)).map { _ in random.uniform(-1, 1) }
        c = (0..<(m * ldc)).map { _ in fillC ?? random.uniform(-1, 1) }
    }

    /// C after the given implementation with the given alpha and beta.
    func run(_ kernel: Implementation, alpha: Float, beta: Float, a: [Float]? = nil, b: [Float]? = nil) -> [Float] {
        var result = c
        let multiply = kernel == .fast ? sgemm : sgemmReference
        multiply(transA, transB, m, n, k, alpha, a ?? self.a, lda, b ?? self.b, ldb, beta, &result, ldc)
        return result
    }

    /// Per element of C, a bound on float32 rounding: 1e-5 · (|alpha| · Σ|a||b| + |beta · c|).
    func tolerance(alpha: Float, beta: Float) -> [Float] {
        let magnitudes = Case(copying: self, c: c.map { abs($0) })
            .run(.reference, alpha: abs(alpha), beta: beta == 0 ? 0 : abs(beta),
                 a: a.map { abs($0) }, b: b.map { abs($0) })
        return magnitudes.map { 1e-5 * max($0, 1) }
    }

    private init(copying other: Case, c: [Float]) {
        (transA, transB, m, n, k) = (other.transA, other.transB, other.m, other.n, other.k)
        (lda, ldb, ldc, a, b) = (other.lda, other.ldb, other.ldc, other.a, other.b)
        self.c = c
    }
}

private enum Implementation { case fast, reference }

/// A dispatch decision of `sgemm` for `product`; it depends on the shape only (no pointer is read).
private func dispatch(of product: Case, _ decision: (MatrixProduct) -> Bool) -> Bool {
    var c = product.c
    return c.withUnsafeMutableBufferPointer { buffer in
        let anywhere = UnsafePointer(buffer.baseAddress!)
        return decision(MatrixProduct(product.transA, product.transB,
                                      m: product.m, n: product.n, k: product.k, alpha: 1,
                                      a: anywhere, lda: product.lda, b: anywhere, ldb: product.ldb,
                                      beta: 0, c: buffer.baseAddress!, ldc: product.ldc))
    }
}

/// Expects the fast kernel to match the reference within rounding, element by element.
private func expectMatchesReference(_ product: Case, alpha: Float, beta: Float,
                                    sourceLocation: SourceLocation = #_sourceLocation) {
    let fast = product.run(.fast, alpha: alpha, beta: beta)
    let reference = product.run(.reference, alpha: alpha, beta: beta)
    let tolerance = product.tolerance(alpha: alpha, beta: beta)
    let worst = (0..<fast.count).filter { index in !(abs(fast[index] - reference[index]) <= tolerance[index]) }
    let mismatchCount = worst.count
    #expect(mismatchCount == 0, """
        \(product.transA)·\(product.transB) \(product.m)×\(product.n)×\(product.k) alpha \(alpha) beta \(beta): \
        first mismatch at \(worst.first ?? -1): \
        \(worst.first.map { index in "\(fast[index]) vs \(reference[index])" } ?? "")
        """, sourceLocation: sourceLocation)
}

@Test func referenceMultipliesTwoByTwo() {
    let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
    var c = [Float](repeating: 0, count: 4)
    NNTensor.sgemmReference(.none, .none, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2,
                            beta: 0, c: &c, ldc: 2)
    #expect(c == [19, 22, 43, 50])
}

@Test(arguments: 0..<transposes.count)
func fastMatchesReferenceOnOddShapes(transposeIndex: Int) {
    let (transA, transB) = transposes[transposeIndex]
    for shape in shapes {
        expectMatchesReference(Case(transA, transB, m: shape.m, n: shape.n, k: shape.k),
                               alpha: 1, beta: 0)
    }
}

@Test(arguments: 0..<transposes.count)
func fastHonoursAlphaBetaAndLeadingDimensions(transposeIndex: Int) {
    let (transA, transB) = transposes[transposeIndex]
    for shape in [(m: 7, n: 33, k: 65), (m: 65, n: 7, k: 130), (m: 1, n: 1, k: 7)] {
        let product = Case(transA, transB, m: shape.m, n: shape.n, k: shape.k, padding: 5, seed: 7)
        expectMatchesReference(product, alpha: 0.5, beta: -1.5)
        expectMatchesReference(product, alpha: -2, beta: 1)
        expectMatchesReference(product, alpha: 1, beta: 0)
    }
}

@Test(arguments: [(m: 6, n: 25, k: 784), (m: 16, n: 15, k: 1030), (m: 1, n: 1, k: 300), (m: 7, n: 9, k: 1000)])
func longDepthKernelMatchesReference(shape: (m: Int, n: Int, k: Int)) {
    let product = Case(.none, .transposed, m: shape.m, n: shape.n, k: shape.k, padding: 3, seed: 3)
    #expect(dispatch(of: product) { $0.suitsLongDepthKernel })
    expectMatchesReference(product, alpha: 1, beta: 0)
    expectMatchesReference(product, alpha: 0.25, beta: 2)
}

/// Two parts split C's rows only where that shrinks the larger part by more than a tenth: LeNet's
/// fc2 forward (64 × 84: columns 32 / 52, computed as 32 / 64) but not fc1's (64 × 120: 64 / 56),
/// nor its weight gradient (120 × 400), nor a product with fewer than two row panels.
@Test(arguments: [(m: 64, n: 84, rows: true), (m: 64, n: 120, rows: false), (m: 120, n: 400, rows: false),
                  (m: 11, n: 40, rows: false), (m: 64, n: 16, rows: true)])
func packedProductSplitsRowsWhereThatBalancesTheParts(shape: (m: Int, n: Int, rows: Bool)) {
    let product = Case(.none, .none, m: shape.m, n: shape.n, k: 8, padding: 0, seed: 1)
    #expect(dispatch(of: product) { $0.splitsRows(parts: 2) } == shape.rows)
    #expect(!dispatch(of: product) { $0.splitsRows(parts: 1) })
}

@Test(arguments: [(m: 16, n: 150, k: 100), (m: 1, n: 40, k: 7), (m: 7, n: 290, k: 33)])
func transposedProductMatchesReference(shape: (m: Int, n: Int, k: Int)) {
    let product = Case(.none, .transposed, m: shape.m, n: shape.n, k: shape.k, padding: 2, seed: 5)
    #expect(dispatch(of: product) { $0.prefersTransposedProduct && !$0.suitsLongDepthKernel })
    expectMatchesReference(product, alpha: 1, beta: 0)
    expectMatchesReference(product, alpha: -0.5, beta: 1.5)
}

/// With a depth below four times the rows (ResNet-18's weight gradients: 512 channels over 64
/// positions, 128 over 256) B is packed instead, and C stored in place.
@Test(arguments: [(m: 64, n: 576, k: 16), (m: 40, n: 300, k: 159)])
func deepRowsPackTheTransposedB(shape: (m: Int, n: Int, k: Int)) {
    let product = Case(.none, .transposed, m: shape.m, n: shape.n, k: shape.k, padding: 1, seed: 6)
    #expect(dispatch(of: product) { !$0.prefersTransposedProduct && !$0.suitsLongDepthKernel })
    expectMatchesReference(product, alpha: 1, beta: 0)
    expectMatchesReference(product, alpha: -0.5, beta: 1.5)
}

@Test(arguments: 0..<transposes.count)
func zeroBetaOverwritesNaN(transposeIndex: Int) {
    let (transA, transB) = transposes[transposeIndex]
    for shape in [(m: 7, n: 33, k: 5), (m: 6, n: 25, k: 784)] {
        let product = Case(transA, transB, m: shape.m, n: shape.n, k: shape.k, fillC: .nan)
        let result = product.run(.fast, alpha: 1, beta: 0)
        #expect(result.allSatisfy { !$0.isNaN })
    }
}

@Test func emptyDepthScalesCByBeta() {
    let product = Case(.none, .none, m: 7, n: 33, k: 0)
    #expect(product.run(.fast, alpha: 1, beta: 2) == product.c.map { 2 * $0 })
    #expect(Case(.none, .none, m: 3, n: 4, k: 0, fillC: .nan).run(.fast, alpha: 1, beta: 0)
            == [Float](repeating: 0, count: 12))
}

@Test func emptyOutputLeavesCUntouched() {
    let wide = Case(.none, .none, m: 0, n: 5, k: 3), tall = Case(.transposed, .transposed, m: 4, n: 0, k: 3)
    #expect(wide.run(.fast, alpha: 1, beta: 0) == wide.c)
    #expect(tall.run(.fast, alpha: 1, beta: 0) == tall.c)
}

@Test(arguments: [(count: 0, parts: 2, multiple: 32), (count: 100, parts: 1, multiple: 32),
                  (count: 100, parts: 2, multiple: 32), (count: 1000, parts: 3, multiple: 6),
                  (count: 7, parts: 4, multiple: 6)])
func blockRangesTileTheRangeOnMultiples(count: Int, parts: Int, multiple: Int) {
    let whole = 10..<(10 + count)
    let pieces = (0..<parts).map { blockRange(part: $0, of: parts, in: whole, multiple: multiple) }
    #expect(pieces.first?.lowerBound == whole.lowerBound)
    #expect(pieces.last?.upperBound == whole.upperBound)
    for (left, right) in zip(pieces, pieces.dropFirst()) { #expect(left.upperBound == right.lowerBound) }
    for piece in pieces.dropLast() { #expect((piece.upperBound - whole.lowerBound) % multiple == 0) }
    let sizes = pieces.map(\.count)
    #expect(sizes.max()! - sizes.min()! <= multiple)
}

@Test func scratchBuffersStartEmptyThenGrowAlignedAndAreReused() {
    let scratch = GEMMScratch()
    for role in GEMMScratch.Role.allCases {
        _ = scratch.buffer(role, count: 0)  // a fresh scratch hands out an empty buffer
        let large = scratch.buffer(role, count: 1000)
        large[999] = 1
        #expect(Int(bitPattern: large) % 64 == 0)
        #expect(scratch.buffer(role, count: 10) == large)
    }
}

/// What a worker pool will do: each part of the rows, or of the columns, on its own scratch.
@Test(arguments: [(transA: Transpose.none, transB: Transpose.none, m: 65, n: 130, k: 33),
                  (transA: .transposed, transB: .transposed, m: 130, n: 70, k: 90),
                  (transA: .none, transB: .transposed, m: 7, n: 9, k: 1000)])
func partsOfRowsOrColumnsComposeTheWholeProduct(
    shape: (transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int)
) {
    let product = Case(shape.transA, shape.transB, m: shape.m, n: shape.n, k: shape.k, padding: 1, seed: 9)
    let expected = product.run(.reference, alpha: 0.5, beta: 2), tolerance = product.tolerance(alpha: 0.5, beta: 2)
    for splitsRows in [true, false] {
        var c = product.c
        product.a.withUnsafeBufferPointer { a in
            product.b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let plan = MatrixProduct(product.transA, product.transB,
                                             m: product.m, n: product.n, k: product.k, alpha: 0.5,
                                             a: a.baseAddress!, lda: product.lda,
                                             b: b.baseAddress!, ldb: product.ldb,
                                             beta: 2, c: c.baseAddress!, ldc: product.ldc)
                    for part in 0..<3 {
                        let rows = splitsRows
                            ? blockRange(part: part, of: 3, in: 0..<plan.m, multiple: MicroTile.rows) : 0..<plan.m
                        let columns = splitsRows
                            ? 0..<plan.n : blockRange(part: part, of: 3, in: 0..<plan.n, multiple: MicroTile.columns)
                        if plan.suitsLongDepthKernel {
                            plan.multiplyAlongDepth(rows: rows, columns: columns, scratch: GEMMScratch())
                        } else {
                            plan.multiplyPacked(rows: rows, columns: columns, scratch: GEMMScratch())
                        }
                    }
                }
            }
        }
        let mismatchCount = (0..<c.count).filter { !(abs(c[$0] - expected[$0]) <= tolerance[$0]) }.count
        #expect(mismatchCount == 0, "splitting \(splitsRows ? "rows" : "columns") of \(shape)")
    }
}

/// A right operand packed once (`PackedOperand`, a recurrent layer's W_hh) multiplies any block of
/// A's rows: the blocks compose the reference product, the same bits whatever the split (a block
/// of one row, uneven blocks), and for B not transposed the same bits as `sgemm`.
@Test(arguments: [(transB: Transpose.none, m: 40, n: 256, k: 64), (transB: .transposed, m: 40, n: 256, k: 64),
                  (transB: .none, m: 13, n: 45, k: 1100), (transB: .transposed, m: 7, n: 70, k: 33), (transB: .none, m: 2, n: 5, k: 3)])
func packedOperandMultipliesAnyBlockOfRows(shape: (transB: Transpose, m: Int, n: Int, k: Int)) {
    let product = Case(.none, shape.transB, m: shape.m, n: shape.n, k: shape.k, padding: 1, seed: 12)
    let splits: [[Range<Int>]] = [[0..<shape.m], [0..<1, 1..<(shape.m / 2), (shape.m / 2)..<shape.m]]
    for beta: Float in [0, 1] {
        let results = splits.map { blocks in
            var c = product.c, panels = [Float](repeating: .nan, count: PackedOperand.count(k: shape.k, n: shape.n))
            product.a.withUnsafeBufferPointer { a in
                product.b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        panels.withUnsafeMutableBufferPointer { panels in
                            let operand = PackedOperand(shape.transB, k: shape.k, n: shape.n, b: b.baseAddress!, ldb: product.ldb,
                                                        into: panels.baseAddress!)
                            let scratch = GEMMScratch()
                            withExtendedLifetime(scratch) {
                                let tile = scratch.buffer(.tile, count: MicroTile.rows * MicroTile.columns)
                                for rows in blocks {
                                    operand.multiply(a: a.baseAddress!, lda: product.lda, beta: beta, c: c.baseAddress!, ldc: product.ldc,
                                                     rows: rows, tile: tile)
                                }
                            }
                        }
                    }
                }
            }
            return c
        }
        #expect(results[0] == results[1], "\(shape) beta \(beta): split rows")
        let expected = product.run(.reference, alpha: 1, beta: beta), tolerance = product.tolerance(alpha: 1, beta: beta)
        #expect((0..<expected.count).allSatisfy { abs(results[0][$0] - expected[$0]) <= tolerance[$0] }, "\(shape) beta \(beta)")
        if shape.transB == .none {
            #expect(results[0] == product.run(.fast, alpha: 1, beta: beta), "\(shape) beta \(beta): sgemm's bits")
        }
    }
}
