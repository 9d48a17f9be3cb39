/// The register-blocked heart of `sgemm`: a `rows` × `columns` tile of C kept in twelve SIMD16
/// accumulators while K runs; each step broadcasts one value of A per row and multiplies it into
/// two SIMD16 vectors of one row of B. A is read in place (its rows, or its columns when
/// transposed, are six streams the caches hold); B comes as a panel of `columns` contiguous floats
/// per step.
enum MicroTile {
    static let rows = 6
    static let columns = 32

    /// C[0..<rowCount, 0..<columnCount] = alpha · A · B + beta · C, for A `rowCount` × `depth` and
    /// B `depth` × `columns`, both read where they lie:
    ///
    /// - A[r, p] = `a[r · aRowStride + p · aDepthStride]` (A in place, transposed or not); rows past
    ///   `rowCount` are never read.
    /// - B[p, 0..<columns] = `b[p · bRowStride ..< p · bRowStride + columns]` (a packed panel, or B in
    ///   place); all `columns` columns must be readable.
    /// - C[r, j] = `c[r · ldc + j]`, or `c[j · ldc + r]` when `transposedC`.
    /// - `tile`: room for `rows` × `columns` floats, used by partial tiles and a transposed C.
    static func multiply(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
        b: UnsafePointer<Float>, bRowStride: Int,
        alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, transposedC: Bool,
        rowCount: Int, columnCount: Int, tile: UnsafeMutablePointer<Float>
    ) {
        // A missing row re-reads row 0; its sums land only in the discarded part of the tile.
        func rowOffset(_ r: Int) -> Int { r < rowCount ? r * aRowStride : 0 }
        let a1 = rowOffset(1), a2 = rowOffset(2), a3 = rowOffset(3), a4 = rowOffset(4), a5 = rowOffset(5)
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
        var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
        var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
        var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        var aStep = a, bStep = b
        @inline(__always) func step(rightHalf: Bool) {
            let b0 = loadVector(bStep)
            c00.addProduct(aStep[0], b0); c10.addProduct(aStep[a1], b0); c20.addProduct(aStep[a2], b0)
            c30.addProduct(aStep[a3], b0); c40.addProduct(aStep[a4], b0); c50.addProduct(aStep[a5], b0)
            if rightHalf {
                let b1 = loadVector(bStep + 16)
                c01.addProduct(aStep[0], b1); c11.addProduct(aStep[a1], b1); c21.addProduct(aStep[a2], b1)
                c31.addProduct(aStep[a3], b1); c41.addProduct(aStep[a4], b1); c51.addProduct(aStep[a5], b1)
            }
            aStep += aDepthStride
            bStep += bRowStride
        }
        // A tile of at most 16 valid columns computes only the left half.
        if columnCount > 16 {
            for _ in 0..<depth { step(rightHalf: true) }
        } else {
            for _ in 0..<depth { step(rightHalf: false) }
        }
        let full = rowCount == rows && columnCount == columns && !transposedC
        let target = full ? c : tile, targetStride = full ? ldc : columns
        let targetBeta = full ? beta : 0, targetAlpha = full ? alpha : 1
        @inline(__always) func store(_ row: Int, _ left: SIMD16<Float>, _ right: SIMD16<Float>) {
            let rowStart = target + row * targetStride
            storeScaled(left, alpha: targetAlpha, beta: targetBeta, into: rowStart)
            storeScaled(right, alpha: targetAlpha, beta: targetBeta, into: rowStart + 16)
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
        store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
        guard !full else { return }
        let (rowStride, columnStride) = transposedC ? (1, ldc) : (ldc, 1)
        for row in 0..<rowCount {
            let source = tile + row * columns, destination = c + row * rowStride
            for column in 0..<columnCount {
                storeScaled(source[column], alpha: alpha, beta: beta, into: destination + column * columnStride)
            }
        }
    }
}

/// Sixteen floats from `pointer`, with no alignment requirement.
@inline(__always) func loadVector(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

/// Stores `vector` at `pointer`, with no alignment requirement.
@inline(__always) func storeVector(_ vector: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD16<Float>.self)
}

/// destination = alpha · sums + beta · destination, not reading destination when `beta` is 0.
@inline(__always) func storeScaled(_ sums: SIMD16<Float>, alpha: Float, beta: Float,
                                   into destination: UnsafeMutablePointer<Float>) {
    let scaled = alpha * sums
    storeVector(beta == 0 ? scaled : scaled + beta * loadVector(destination), destination)
}
