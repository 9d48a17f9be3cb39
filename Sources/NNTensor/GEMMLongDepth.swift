/// A·Bᵀ read along K, where both operands are contiguous: a convolution's weight gradient
/// (dW [OC, C·KH·KW] = dY [OC, OH·OW] · columnsᵀ, K huge, M and N small). No copies: blocks of
/// 4 rows of A × 6 rows of B keep 24 SIMD16 accumulators, reduced to scalars at the end; a K longer
/// than one pass keeps its vector partial sums in scratch between passes.
extension MatrixProduct {
    /// Whether `multiplyAlongDepth` suits this product better than the packed kernel: a K long
    /// enough to amortise the reductions and to dwarf M and N.
    var suitsLongDepthKernel: Bool {
        transA == .none && transB == .transposed && k >= 256 && k >= 4 * max(m, n) && m * n <= 16384
    }

    /// C[rows, columns] = alpha · A[rows, :] · B[columns, :]ᵀ + beta · C[rows, columns].
    /// Disjoint `rows` or `columns` ranges may run on different threads with their own scratch.
    ///
    /// K runs in passes; within a pass, the operand with fewer rows stays in L1 while the rows of
    /// the other stream past it once.
    func multiplyAlongDepth(rows: Range<Int>, columns: Range<Int>, scratch: GEMMScratch) {
        let residentRows = min(rows.count, columns.count)
        let chunk = min(max(6144 / (residentRows + DotBlock.rowsOfB) / 64 * 64, 128), 2048)
        let vectorDepth = k / 16 * 16
        let partialSums = scratch.buffer(.partialSums, count: vectorDepth > chunk ? rows.count * columns.count * 16 : 0)
        func slot(_ i: Int, _ j: Int) -> UnsafeMutablePointer<Float> {
            partialSums + ((i - rows.lowerBound) * columns.count + j - columns.lowerBound) * 16
        }
        let rowStarts = stride(from: rows.lowerBound, to: rows.upperBound, by: DotBlock.rowsOfA)
        let columnStarts = stride(from: columns.lowerBound, to: columns.upperBound, by: DotBlock.rowsOfB)
        for chunkStart in stride(from: 0, to: max(vectorDepth, 1), by: chunk) {
            let depth = chunkStart..<min(chunkStart + chunk, vectorDepth)
            let isFirst = chunkStart == 0, isLast = depth.upperBound == vectorDepth
            func multiplyBlock(row: Int, column: Int) {
                // Past the last row (column) a block repeats it: the copy computes the same partial
                // sums and stores them to the same slot; only its final update of C is skipped.
                func i(_ r: Int) -> Int { min(row + r, rows.upperBound - 1) }
                func j(_ s: Int) -> Int { min(column + s, columns.upperBound - 1) }
                var block = DotBlock()
                if !isFirst { block.load { slot(i($0), j($1)) } }
                block.accumulate(depth: depth, a: { a + i($0) * lda }, b: { b + j($0) * ldb })
                if isLast {
                    block.forEachSum { r, s, vectorSum in
                        guard row + r < rows.upperBound, column + s < columns.upperBound else { return }
                        var sum = vectorSum
                        for p in vectorDepth..<k { sum += a[i(r) * lda + p] * b[j(s) * ldb + p] }
                        storeScaled(sum, alpha: alpha, beta: beta, into: c + i(r) * ldc + j(s))
                    }
                } else {
                    block.store { slot(i($0), j($1)) }
                }
            }
            if rows.count == residentRows {
                for column in columnStarts { for row in rowStarts { multiplyBlock(row: row, column: column) } }
            } else {
                for row in rowStarts { for column in columnStarts { multiplyBlock(row: row, column: column) } }
            }
        }
    }
}

/// 4 × 6 SIMD16 accumulators: lane-wise sums of A row r times B row s over a stretch of K.
/// Each step loads 4 + 6 vectors for 24 multiply-adds (24 accumulators and the 4 A vectors and
/// one B vector at a time fill 29 of AVX-512's 32 registers).
struct DotBlock {
    static let rowsOfA = 4, rowsOfB = 6
    var s00 = SIMD16<Float>(), s01 = SIMD16<Float>(), s02 = SIMD16<Float>()
    var s03 = SIMD16<Float>(), s04 = SIMD16<Float>(), s05 = SIMD16<Float>()
    var s10 = SIMD16<Float>(), s11 = SIMD16<Float>(), s12 = SIMD16<Float>()
    var s13 = SIMD16<Float>(), s14 = SIMD16<Float>(), s15 = SIMD16<Float>()
    var s20 = SIMD16<Float>(), s21 = SIMD16<Float>(), s22 = SIMD16<Float>()
    var s23 = SIMD16<Float>(), s24 = SIMD16<Float>(), s25 = SIMD16<Float>()
    var s30 = SIMD16<Float>(), s31 = SIMD16<Float>(), s32 = SIMD16<Float>()
    var s33 = SIMD16<Float>(), s34 = SIMD16<Float>(), s35 = SIMD16<Float>()

    /// Adds a(r)[p] · b(s)[p] for p in `depth` (a multiple of 16 long) to accumulator (r, s); then,
    /// `repeats − 1` times, the same for the rows `aStride` and `bStride` floats further on (the
    /// next image of a convolution's weight gradient). The inner loop steps one offset through all
    /// ten rows (a flat loop over the repeats spent about a quarter of its instructions on the jumps).
    @inline(__always) mutating func accumulate(depth: Range<Int>, a: (Int) -> UnsafePointer<Float>,
                                               b: (Int) -> UnsafePointer<Float>,
                                               repeats: Int = 1, aStride: Int = 0, bStride: Int = 0) {
        let end = depth.count / 16 * 16
        guard end > 0, repeats > 0 else { return }
        var a0 = a(0) + depth.lowerBound, a1 = a(1) + depth.lowerBound
        var a2 = a(2) + depth.lowerBound, a3 = a(3) + depth.lowerBound
        var b0 = b(0) + depth.lowerBound, b1 = b(1) + depth.lowerBound, b2 = b(2) + depth.lowerBound
        var b3 = b(3) + depth.lowerBound, b4 = b(4) + depth.lowerBound, b5 = b(5) + depth.lowerBound
        var repeatsLeft = repeats
        repeat {
            var offset = 0
            repeat {
                let x0 = loadVector(a0 + offset), x1 = loadVector(a1 + offset)
                let x2 = loadVector(a2 + offset), x3 = loadVector(a3 + offset)
                let y0 = loadVector(b0 + offset)
                s00.addProduct(x0, y0); s10.addProduct(x1, y0); s20.addProduct(x2, y0); s30.addProduct(x3, y0)
                let y1 = loadVector(b1 + offset)
                s01.addProduct(x0, y1); s11.addProduct(x1, y1); s21.addProduct(x2, y1); s31.addProduct(x3, y1)
                let y2 = loadVector(b2 + offset)
                s02.addProduct(x0, y2); s12.addProduct(x1, y2); s22.addProduct(x2, y2); s32.addProduct(x3, y2)
                let y3 = loadVector(b3 + offset)
                s03.addProduct(x0, y3); s13.addProduct(x1, y3); s23.addProduct(x2, y3); s33.addProduct(x3, y3)
                let y4 = loadVector(b4 + offset)
                s04.addProduct(x0, y4); s14.addProduct(x1, y4); s24.addProduct(x2, y4); s34.addProduct(x3, y4)
                let y5 = loadVector(b5 + offset)
                s05.addProduct(x0, y5); s15.addProduct(x1, y5); s25.addProduct(x2, y5); s35.addProduct(x3, y5)
                offset += 16
            } while offset < end
            a0 += aStride; a1 += aStride; a2 += aStride; a3 += aStride
            b0 += bStride; b1 += bStride; b2 += bStride; b3 += bStride; b4 += bStride; b5 += bStride
            repeatsLeft -= 1
        } while repeatsLeft > 0
    }

    /// Loads accumulator (r, s) from `slot(r, s)`.
    @inline(__always) mutating func load(_ slot: (Int, Int) -> UnsafeMutablePointer<Float>) {
        s00 = loadVector(slot(0, 0)); s01 = loadVector(slot(0, 1)); s02 = loadVector(slot(0, 2))
        s03 = loadVector(slot(0, 3)); s04 = loadVector(slot(0, 4)); s05 = loadVector(slot(0, 5))
        s10 = loadVector(slot(1, 0)); s11 = loadVector(slot(1, 1)); s12 = loadVector(slot(1, 2))
        s13 = loadVector(slot(1, 3)); s14 = loadVector(slot(1, 4)); s15 = loadVector(slot(1, 5))
        s20 = loadVector(slot(2, 0)); s21 = loadVector(slot(2, 1)); s22 = loadVector(slot(2, 2))
        s23 = loadVector(slot(2, 3)); s24 = loadVector(slot(2, 4)); s25 = loadVector(slot(2, 5))
        s30 = loadVector(slot(3, 0)); s31 = loadVector(slot(3, 1)); s32 = loadVector(slot(3, 2))
        s33 = loadVector(slot(3, 3)); s34 = loadVector(slot(3, 4)); s35 = loadVector(slot(3, 5))
    }

    /// Stores accumulator (r, s) to `slot(r, s)`.
    @inline(__always) func store(_ slot: (Int, Int) -> UnsafeMutablePointer<Float>) {
        storeVector(s00, slot(0, 0)); storeVector(s01, slot(0, 1)); storeVector(s02, slot(0, 2))
        storeVector(s03, slot(0, 3)); storeVector(s04, slot(0, 4)); storeVector(s05, slot(0, 5))
        storeVector(s10, slot(1, 0)); storeVector(s11, slot(1, 1)); storeVector(s12, slot(1, 2))
        storeVector(s13, slot(1, 3)); storeVector(s14, slot(1, 4)); storeVector(s15, slot(1, 5))
        storeVector(s20, slot(2, 0)); storeVector(s21, slot(2, 1)); storeVector(s22, slot(2, 2))
        storeVector(s23, slot(2, 3)); storeVector(s24, slot(2, 4)); storeVector(s25, slot(2, 5))
        storeVector(s30, slot(3, 0)); storeVector(s31, slot(3, 1)); storeVector(s32, slot(3, 2))
        storeVector(s33, slot(3, 3)); storeVector(s34, slot(3, 4)); storeVector(s35, slot(3, 5))
    }

    /// Calls `body(r, s, sum of accumulator (r, s)'s lanes)` for every accumulator.
    @inline(__always) func forEachSum(_ body: (Int, Int, Float) -> Void) {
        body(0, 0, laneSum(s00)); body(0, 1, laneSum(s01)); body(0, 2, laneSum(s02))
        body(0, 3, laneSum(s03)); body(0, 4, laneSum(s04)); body(0, 5, laneSum(s05))
        body(1, 0, laneSum(s10)); body(1, 1, laneSum(s11)); body(1, 2, laneSum(s12))
        body(1, 3, laneSum(s13)); body(1, 4, laneSum(s14)); body(1, 5, laneSum(s15))
        body(2, 0, laneSum(s20)); body(2, 1, laneSum(s21)); body(2, 2, laneSum(s22))
        body(2, 3, laneSum(s23)); body(2, 4, laneSum(s24)); body(2, 5, laneSum(s25))
        body(3, 0, laneSum(s30)); body(3, 1, laneSum(s31)); body(3, 2, laneSum(s32))
        body(3, 3, laneSum(s33)); body(3, 4, laneSum(s34)); body(3, 5, laneSum(s35))
    }

    /// The sum of the 16 lanes, added pairwise (4 vector additions instead of 15 dependent ones).
    @inline(__always) private func laneSum(_ vector: SIMD16<Float>) -> Float {
        let eight = vector.lowHalf + vector.highHalf, four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }
}
