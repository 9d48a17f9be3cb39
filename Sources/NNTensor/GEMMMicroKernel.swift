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
    /// - `tile`: room for `rows` × `columns` floats, used by tiles of fewer columns and a transposed C.
    static func multiply(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
        b: UnsafePointer<Float>, bRowStride: Int,
        alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, transposedC: Bool,
        rowCount: Int, columnCount: Int, tile: UnsafeMutablePointer<Float>
    ) {
        var sums = MicroTileSums()
        sums.accumulate(depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, rowCount: rowCount,
                        b: StridedPanelRows(start: b, stride: bRowStride), columnCount: columnCount)
        let fullWidth = columnCount == columns && !transposedC
        guard !fullWidth else { return sums.store(into: c, stride: ldc, alpha: alpha, beta: beta, rowCount: rowCount) }
        sums.store(into: tile, stride: columns, alpha: 1, beta: 0)
        let (rowStride, columnStride) = transposedC ? (1, ldc) : (ldc, 1)
        for row in 0..<rowCount {
            let source = tile + row * columns, destination = c + row * rowStride
            for column in 0..<columnCount {
                storeScaled(source[column], alpha: alpha, beta: beta, into: destination + column * columnStride)
            }
        }
    }
}

/// Where the micro-kernel finds row p of its B panel (`MicroTile.columns` readable floats).
protocol PanelRows {
    func row(_ p: Int) -> UnsafePointer<Float>
}

/// B rows `stride` floats apart: a packed panel, or B in place.
struct StridedPanelRows: PanelRows {
    let start: UnsafePointer<Float>, stride: Int
    @inline(__always) func row(_ p: Int) -> UnsafePointer<Float> { start + p * stride }
}

/// B rows at `base + offsets[p]`: windows of an image read in place by a convolution (each
/// kernel tap shifts the same image).
struct OffsetPanelRows: PanelRows {
    let base: UnsafePointer<Float>, offsets: UnsafePointer<Int>
    @inline(__always) func row(_ p: Int) -> UnsafePointer<Float> { base + offsets[p] }
}

/// The twelve accumulators of a micro-tile: row r's left and right sixteen columns.
struct MicroTileSums {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
    var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
    var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
    var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()

    /// Every accumulator of row r starts at `start(r)` (a convolution's bias).
    @inline(__always) init(start: (Int) -> Float) {
        (c00, c10, c20) = (SIMD16(repeating: start(0)), SIMD16(repeating: start(1)), SIMD16(repeating: start(2)))
        (c30, c40, c50) = (SIMD16(repeating: start(3)), SIMD16(repeating: start(4)), SIMD16(repeating: start(5)))
        (c01, c11, c21, c31, c41, c51) = (c00, c10, c20, c30, c40, c50)
    }

    @inline(__always) init() {}

    /// Adds A · B, for A[r, p] = `a[r · aRowStride + p · aDepthStride]` (rows past `rowCount` are
    /// never read: they repeat row 0, and their sums are to be discarded) and B[p, :] = `b.row(p)`.
    /// With at most 16 `columnCount` only the left halves are computed.
    @inline(__always) mutating func accumulate<Rows: PanelRows>(
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int, rowCount: Int,
        b: Rows, columnCount: Int
    ) {
        let rows = ARows(rowCount: rowCount, rowStride: aRowStride)
        var aStep = a
        if columnCount > 16 {
            for p in 0..<depth { addStep(aStep, rows, b.row(p), rightHalf: true); aStep += aDepthStride }
        } else {
            for p in 0..<depth { addStep(aStep, rows, b.row(p), rightHalf: false); aStep += aDepthStride }
        }
    }

    /// `accumulate` of a tile twice as wide: `left` takes B's columns 0..<32 and `right` the
    /// columns from 32 (33 to 64 `columnCount`; at most 48: only right's left halves), each
    /// step's six values of A serving four vectors of B instead of two.
    @inline(__always) static func accumulate<Rows: PanelRows>(
        _ left: inout MicroTileSums, _ right: inout MicroTileSums,
        depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int, rowCount: Int,
        b: Rows, columnCount: Int
    ) {
        let rows = ARows(rowCount: rowCount, rowStride: aRowStride)
        var aStep = a
        if columnCount > 48 {
            for p in 0..<depth {
                let bRow = b.row(p)
                left.addStep(aStep, rows, bRow, rightHalf: true)
                right.addStep(aStep, rows, bRow + MicroTile.columns, rightHalf: true)
                aStep += aDepthStride
            }
        } else {
            for p in 0..<depth {
                let bRow = b.row(p)
                left.addStep(aStep, rows, bRow, rightHalf: true)
                right.addStep(aStep, rows, bRow + MicroTile.columns, rightHalf: false)
                aStep += aDepthStride
            }
        }
    }

    /// The offsets of A's rows 1...5 from row 0 (0 past `rowCount`: row 0 repeated).
    struct ARows {
        let a1: Int, a2: Int, a3: Int, a4: Int, a5: Int
        @inline(__always) init(rowCount: Int, rowStride: Int) {
            func rowOffset(_ r: Int) -> Int { r < rowCount ? r * rowStride : 0 }
            (a1, a2, a3, a4, a5) = (rowOffset(1), rowOffset(2), rowOffset(3), rowOffset(4), rowOffset(5))
        }
    }

    /// One step along the depth: row r += a[rows' offset r] · B's row `bRow` (its left 16 columns,
    /// and its right 16 when `rightHalf`).
    @inline(__always) private mutating func addStep(_ a: UnsafePointer<Float>, _ rows: ARows, _ bRow: UnsafePointer<Float>,
                                                    rightHalf: Bool) {
        let b0 = loadVector(bRow)
        c00.addProduct(a[0], b0); c10.addProduct(a[rows.a1], b0); c20.addProduct(a[rows.a2], b0)
        c30.addProduct(a[rows.a3], b0); c40.addProduct(a[rows.a4], b0); c50.addProduct(a[rows.a5], b0)
        if rightHalf {
            let b1 = loadVector(bRow + 16)
            c01.addProduct(a[0], b1); c11.addProduct(a[rows.a1], b1); c21.addProduct(a[rows.a2], b1)
            c31.addProduct(a[rows.a3], b1); c41.addProduct(a[rows.a4], b1); c51.addProduct(a[rows.a5], b1)
        }
    }

    /// Row r's 32 columns = alpha · sums + beta · (what they held), at `destination + r · stride`, for
    /// the first `rowCount` rows (1 to `MicroTile.rows`; all by default).
    @inline(__always) func store(into destination: UnsafeMutablePointer<Float>, stride: Int, alpha: Float, beta: Float,
                                 rowCount: Int = MicroTile.rows) {
        @inline(__always) func store(_ row: Int, _ left: SIMD16<Float>, _ right: SIMD16<Float>) {
            guard row < rowCount else { return }
            let rowStart = destination + row * stride
            storeScaled(left, alpha: alpha, beta: beta, into: rowStart)
            storeScaled(right, alpha: alpha, beta: beta, into: rowStart + 16)
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
        store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
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
