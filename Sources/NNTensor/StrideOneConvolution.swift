/// A stride-1 convolution (any padding and dilation) computed without a column matrix: the SGEMM
/// micro-kernel reads its B panels straight out of a copy of the image unfolded along the kernel
/// columns only.
///
/// The unfolded image U [KW, C, Hp, OW] (Hp = H + 2·padding) holds, for each kernel column kc, the
/// padded image's columns kc·dilation ..< kc·dilation + OW, zero where they lie in the padding.
/// Numbering the outputs q = oh·OW + ow, kernel tap t = (c, kr, kc) reads U[q + offset(t)] with
/// offset(t) = (kc·C + c)·Hp·OW + kr·dilation·OW: each row of the column matrix is a contiguous
/// stretch of U, which is KW times the image where the column matrix would be KH·KW times the
/// output (LeNet: 25 and 150 column rows from 5 copies of 1 and 6 image planes).
public struct StrideOneConvolution: Sendable {
    public let window: Window2d
    let outputHeight: Int, outputWidth: Int
    let paddedHeight: Int

    /// nil unless the window has stride 1 and its unfolded image is small enough to stay in L2
    /// (every output panel reads every tap's stretch of it).
    public init?(_ window: Window2d) {
        self.window = window
        (outputHeight, outputWidth) = (window.outputHeight, window.outputWidth)
        paddedHeight = window.height + 2 * window.paddingHeight
        guard window.strideHeight == 1, window.strideWidth == 1, unfoldedImageCount <= Self.largestUnfoldedImage else {
            return nil
        }
    }

    static let largestUnfoldedImage = 1 << 16

    /// Floats past the end of the last unfolded image that the kernels read: `unfold` zeroes them.
    public static let readSlack = MicroTile.columns

    /// Floats of one kernel column's plane of an unfolded image: Hp · OW.
    var unfoldedPlane: Int { paddedHeight * outputWidth }
    /// Floats of one unfolded image [KW, C, Hp, OW].
    public var unfoldedImageCount: Int { window.kernelWidth * window.channels * unfoldedPlane }
    /// Kernel taps, the column matrix's rows: C · KH · KW.
    public var taps: Int { window.channels * window.kernelHeight * window.kernelWidth }
    /// Output positions per channel, the column matrix's columns: OH · OW.
    var outputPlane: Int { outputHeight * outputWidth }
    /// Floats per output channel of an expanded output gradient: OH · OW rounded up to 16.
    public var expandedGradientCount: Int { (outputPlane + 15) / 16 * 16 }

    /// Unfolds `count` consecutive images [C, H, W] into consecutive unfolded images
    /// [KW, C, Hp, OW], then zeroes `readSlack` floats after them.
    ///
    /// A kernel column without horizontal padding copies whole rows as vectors, with no per-row
    /// test but for the last rows of the last image, whose vectors would read past the images. The
    /// destination is written in order, so a row copied as whole vectors may spill up to 15 floats
    /// into the next row (or the slack): they are overwritten afterwards.
    public func unfold(count: Int, images: UnsafePointer<Float>, into unfolded: UnsafeMutablePointer<Float>) {
        let height = window.height, width = window.width, channels = window.channels, outputWidth = outputWidth
        let imageCount = channels * height * width, sourceEnd = images + count * imageCount
        let vectorWidth = (outputWidth + 15) / 16 * 16, rows = height * outputWidth
        let topRows = window.paddingHeight * outputWidth, bottomRows = unfoldedPlane - topRows - rows
        var destination = unfolded
        for image in 0..<count {
            for kernelColumn in 0..<window.kernelWidth {
                // Output column ow reads image column ow + kc·dilation − padding.
                let start = kernelColumn * window.dilationWidth - window.paddingWidth
                let inside = inBoundsRange(start: start, step: 1, count: outputWidth, limit: width)
                for channel in 0..<channels {
                    zeroRun(destination, count: topRows)
                    destination += topRows
                    let source = images + image * imageCount + channel * height * width + start
                    var row = 0
                    if inside.count == outputWidth {
                        // Rows r with source + r·W + vectorWidth ≤ sourceEnd (a division only near the end).
                        let room = sourceEnd - source - vectorWidth
                        let vectorRows = room >= (height - 1) * width ? height : room < 0 ? 0 : room / width + 1
                        Self.copyRowsAsVectors(vectorRows, vectorWidth: vectorWidth, from: source, sourceStride: width,
                                          to: destination, destinationStride: outputWidth)
                        row = vectorRows
                    }
                    while row < height {
                        let rowDestination = destination + row * outputWidth
                        zeroRun(rowDestination, count: inside.lowerBound)
                        copyRun(from: source + row * width + inside.lowerBound, to: rowDestination + inside.lowerBound,
                                count: inside.count)
                        zeroRun(rowDestination + inside.upperBound, count: outputWidth - inside.upperBound)
                        row += 1
                    }
                    destination += rows
                    zeroRun(destination, count: bottomRows)
                    destination += bottomRows
                }
            }
        }
        zeroRun(destination, count: Self.readSlack)
    }

    /// Copies `rows` rows of `vectorWidth` floats (a multiple of 16) from `source` to `destination`,
    /// the rows `sourceStride` and `destinationStride` floats apart.
    @inline(__always)
    private static func copyRowsAsVectors(_ rows: Int, vectorWidth: Int, from source: UnsafePointer<Float>, sourceStride: Int,
                                   to destination: UnsafeMutablePointer<Float>, destinationStride: Int) {
        var source = source, destination = destination
        for _ in 0..<rows {
            var offset = 0
            repeat {
                storeVector(loadVector(source + offset), destination + offset)
                offset += 16
            } while offset < vectorWidth
            source += sourceStride
            destination += destinationStride
        }
    }

    /// The naive per-element `unfold` of one image [C, H, W] into [KW, C, Hp, OW] (without the
    /// slack), which the fast one is tested against.
    public func unfoldReference(image: UnsafePointer<Float>, into unfolded: UnsafeMutablePointer<Float>) {
        let (height, width) = (window.height, window.width)
        var index = 0
        for kernelColumn in 0..<window.kernelWidth {
            for channel in 0..<window.channels {
                for paddedRow in 0..<paddedHeight {
                    for outputColumn in 0..<outputWidth {
                        let row = paddedRow - window.paddingHeight
                        let column = outputColumn + kernelColumn * window.dilationWidth - window.paddingWidth
                        let inside = (0..<height).contains(row) && (0..<width).contains(column)
                        unfolded[index] = inside ? image[(channel * height + row) * width + column] : 0
                        index += 1
                    }
                }
            }
        }
    }

    /// output [OC, OH, OW] = weights [OC, taps] · columns(U) + bias [OC] (or nothing), for one
    /// unfolded image U followed by `readSlack` readable floats (another image, or `unfold`'s zeros).
    /// Tiles of 6 channels × 64 outputs (two micro-tiles, `MicroTileSums.accumulate(_:_:…)`), and
    /// one of 32 or fewer outputs at the end of a row of tiles.
    public func forward(unfolded: UnsafePointer<Float>, weights: UnsafePointer<Float>, outChannels: Int,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let taps = taps, outputPlane = outputPlane, columns = MicroTile.columns
        withTapOffsets { offsets in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: MicroTile.rows * columns) { tile in
                let tile = tile.baseAddress!
                for panelRow in stride(from: 0, to: outChannels, by: MicroTile.rows) {
                    let rowCount = min(MicroTile.rows, outChannels - panelRow)
                    /// Stores a micro-tile's sums into outputs columnStart ..< columnStart + columnCount.
                    func store(_ sums: MicroTileSums, columnStart: Int, columnCount: Int) {
                        let destination = output + panelRow * outputPlane + columnStart
                        if rowCount == MicroTile.rows && columnCount == columns {
                            return sums.store(into: destination, stride: outputPlane, alpha: 1, beta: 0)
                        }
                        sums.store(into: tile, stride: columns, alpha: 1, beta: 0)
                        for row in 0..<rowCount {
                            copyRun(from: tile + row * columns, to: destination + row * outputPlane, count: columnCount)
                        }
                    }
                    let start = bias.map { bias in MicroTileSums { r in bias[panelRow + min(r, rowCount - 1)] } } ?? MicroTileSums()
                    var panelStart = 0
                    while panelStart < outputPlane {
                        let columnCount = min(2 * columns, outputPlane - panelStart)
                        let b = OffsetPanelRows(base: unfolded + panelStart, offsets: offsets)
                        var left = start
                        if columnCount > columns {
                            var right = start
                            MicroTileSums.accumulate(&left, &right, depth: taps, a: weights + panelRow * taps, aRowStride: taps,
                                                     aDepthStride: 1, rowCount: rowCount, b: b, columnCount: columnCount)
                            store(left, columnStart: panelStart, columnCount: columns)
                            store(right, columnStart: panelStart + columns, columnCount: columnCount - columns)
                        } else {
                            left.accumulate(depth: taps, a: weights + panelRow * taps, aRowStride: taps, aDepthStride: 1,
                                            rowCount: rowCount, b: b, columnCount: columnCount)
                            store(left, columnStart: panelStart, columnCount: columnCount)
                        }
                        panelStart += columnCount
                    }
                }
            }
        }
    }

    /// Runs `body` with offset(t) for every tap t = (c, kr, kc), in column-matrix row order.
    func withTapOffsets<Result>(_ body: (UnsafePointer<Int>) -> Result) -> Result {
        ScratchBuffers.withBuffer(of: Int.self, count: taps) { offsets in
            var tap = 0
            for channel in 0..<window.channels {
                for kernelRow in 0..<window.kernelHeight {
                    for kernelColumn in 0..<window.kernelWidth {
                        offsets[tap] = (kernelColumn * window.channels + channel) * unfoldedPlane
                            + kernelRow * window.dilationHeight * outputWidth
                        tap += 1
                    }
                }
            }
            return body(UnsafePointer(offsets))
        }
    }
}
