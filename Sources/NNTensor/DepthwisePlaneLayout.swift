/// Where a depthwise convolution (`DepthwiseConvolution`) keeps one plane in its working memory: the
/// zero-padded plane [H + 2·PH, W + 2·PW] split into its SH·SW stride phases, so that for every tap of
/// the window consecutive outputs read consecutive floats, whatever the stride and dilation.
///
/// Phase (a, b) (a < SH, b < SW) holds the padded rows a, a + SH, … and columns b, b + SW, … as a
/// [phaseRows, phaseColumns] plane. Output (oy, ox)'s tap (ky, kx) reads padded position
/// (oy·SH + ky·DH, ox·SW + kx·DW): in phase (ky·DH mod SH, kx·DW mod SW), row oy + ⌊ky·DH / SH⌋,
/// column ox + ⌊kx·DW / SW⌋. With the outputs laid out in rows of `phaseColumns` (the "flat" layout:
/// its columns from OW on are computed and dropped), flat output j of a tap reads its phase's element
/// j + the tap's offset ⌊ky·DH / SH⌋·phaseColumns + ⌊kx·DW / SW⌋.
struct DepthwisePlaneLayout {
    let window: Window2d
    let phaseRows: Int, phaseColumns: Int
    /// The largest tap offset.
    let largestOffset: Int
    /// Floats from one phase of the image to the next: its elements, then the zeros that the flat
    /// outputs' vector steps read past them.
    let phaseStride: Int

    init(_ window: Window2d) {
        self.window = window
        phaseRows = (window.height + 2 * window.paddingHeight + window.strideHeight - 1) / window.strideHeight
        phaseColumns = (window.width + 2 * window.paddingWidth + window.strideWidth - 1) / window.strideWidth
        largestOffset = (window.kernelHeight - 1) * window.dilationHeight / window.strideHeight * phaseColumns
            + (window.kernelWidth - 1) * window.dilationWidth / window.strideWidth
        phaseStride = Self.vectorSteps(max(phaseRows * phaseColumns, largestOffset + Self.vectorSteps(window.outputHeight * phaseColumns)))
    }

    /// `count` rounded up to whole 16-float vector steps.
    static func vectorSteps(_ count: Int) -> Int { (count + 15) / 16 * 16 }

    var phaseCount: Int { window.strideHeight * window.strideWidth }
    var tapCount: Int { window.kernelHeight * window.kernelWidth }
    /// Flat outputs computed: OH rows of `phaseColumns`, in whole vector steps.
    var flatOutputCount: Int { Self.vectorSteps(window.outputHeight * phaseColumns) }
    /// Elements of each phase of the input gradient computed: all of them, in whole vector steps.
    var gradientPhaseCount: Int { Self.vectorSteps(phaseRows * phaseColumns) }

    /// Floats of the output gradient in flat layout: `largestOffset` zeros (which the input gradient
    /// reads before its first row), then room for `gradientPhaseCount`.
    var flatGradientCount: Int { largestOffset + gradientPhaseCount }

    /// Where `tap` (ky·KW + kx) reads: its phase and its offset in it.
    func phaseAndOffset(ofTap tap: Int) -> (phase: Int, offset: Int) {
        let rows = tap / window.kernelWidth * window.dilationHeight, columns = tap % window.kernelWidth * window.dilationWidth
        return ((rows % window.strideHeight) * window.strideWidth + columns % window.strideWidth,
                rows / window.strideHeight * phaseColumns + columns / window.strideWidth)
    }

    /// Copies `plane` [H, W] to its positions in `phases` (`phaseStride` floats apart); the padding's
    /// positions are left as they are. Image column x goes to padded column c = x + PW: phase c mod SW,
    /// element ⌊c / SW⌋ of its row.
    func spread(_ plane: UnsafePointer<Float>, into phases: UnsafeMutablePointer<Float>) {
        let width = window.width, padding = window.paddingWidth
        switch window.strideWidth {
        case 1:
            forEachRow(phases, phaseStride: phaseStride) { row, phasedRow in
                copyRun(from: plane + row * width, to: phasedRow + padding, count: width)
            }
        case 2:
            forEachRow(phases, phaseStride: phaseStride) { row, phasedRow in
                let (even, odd) = evenAndOddColumns(phasedRow, phaseStride: phaseStride), source = plane + row * width
                var column = 0
                while column + 16 <= width {
                    let values = loadUnaligned(source + column, as: SIMD16<Float>.self)
                    storeUnaligned(evenLanes(values), even + column / 2)
                    storeUnaligned(oddLanes(values), odd + column / 2)
                    column += 16
                }
                for column in column..<width { (column % 2 == 0 ? even : odd)[column / 2] = source[column] }
            }
        default:
            forEachRow(phases, phaseStride: phaseStride) { row, phasedRow in
                for column in 0..<width { phasedRow[phaseIndex(ofColumn: column, phaseStride: phaseStride)] = plane[row * width + column] }
            }
        }
    }

    /// Copies the positions of the plane [H, W] from `phases` (`gradientPhaseCount` floats apart) to
    /// `plane`: `spread` the other way.
    func gather(_ phases: UnsafePointer<Float>, into plane: UnsafeMutablePointer<Float>) {
        let width = window.width, padding = window.paddingWidth, phaseStride = gradientPhaseCount
        let phases = UnsafeMutablePointer(mutating: phases)
        switch window.strideWidth {
        case 1:
            forEachRow(phases, phaseStride: phaseStride) { row, phasedRow in
                copyRun(from: phasedRow + padding, to: plane + row * width, count: width)
            }
        case 2:
            forEachRow(phases, phaseStride: phaseStride) { row, phasedRow in
                let (even, odd) = evenAndOddColumns(phasedRow, phaseStride: phaseStride), destination = plane + row * width
                var column = 0
                while column + 16 <= width {
                    storeUnaligned(interleaving(loadUnaligned(even + column / 2, as: SIMD8<Float>.self),
                                                loadUnaligned(odd + column / 2, as: SIMD8<Float>.self)), destination + column)
                    column += 16
                }
                for column in column..<width { destination[column] = (column % 2 == 0 ? even : odd)[column / 2] }
            }
        default:
            forEachRow(phases, phaseStride: phaseStride) { row, phasedRow in
                for column in 0..<width { plane[row * width + column] = phasedRow[phaseIndex(ofColumn: column, phaseStride: phaseStride)] }
            }
        }
    }

    /// Calls `body(row, start)` for each image row, with where its padded row starts in phase
    /// (row + PH mod SH, 0) of `phases`.
    @inline(__always)
    private func forEachRow(_ phases: UnsafeMutablePointer<Float>, phaseStride: Int,
                            _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        for row in 0..<window.height {
            let padded = row + window.paddingHeight
            body(row, phases + padded % window.strideHeight * window.strideWidth * phaseStride
                     + padded / window.strideHeight * phaseColumns)
        }
    }

    /// With stride 2 across: where image columns 0, 2, 4, … and 1, 3, 5, … go, halved, from a padded row's start.
    @inline(__always)
    private func evenAndOddColumns(_ phasedRow: UnsafeMutablePointer<Float>,
                                   phaseStride: Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) {
        let padding = window.paddingWidth
        return (phasedRow + padding % 2 * phaseStride + padding / 2, phasedRow + (padding + 1) % 2 * phaseStride + (padding + 1) / 2)
    }

    /// Where image column `column` goes from a padded row's start.
    @inline(__always)
    private func phaseIndex(ofColumn column: Int, phaseStride: Int) -> Int {
        let padded = column + window.paddingWidth
        return padded % window.strideWidth * phaseStride + padded / window.strideWidth
    }
}

// Lane by lane, as in SquareTranspose.swift: one shuffle each.

/// (v₀, v₂, …, v₁₄).
@inline(__always)
private func evenLanes(_ v: SIMD16<Float>) -> SIMD8<Float> { SIMD8(v[0], v[2], v[4], v[6], v[8], v[10], v[12], v[14]) }

/// (v₁, v₃, …, v₁₅).
@inline(__always)
private func oddLanes(_ v: SIMD16<Float>) -> SIMD8<Float> { SIMD8(v[1], v[3], v[5], v[7], v[9], v[11], v[13], v[15]) }

/// (a₀, b₀, a₁, b₁, …, a₇, b₇).
@inline(__always)
private func interleaving(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
    SIMD16(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
}
