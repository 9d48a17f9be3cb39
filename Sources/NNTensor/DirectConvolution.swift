/// A convolution (any stride, padding and dilation) computed without a column matrix: the SGEMM
/// micro-kernel reads its B panels straight out of a copy of the image unfolded along the kernel
/// columns and, for strides above 1, split into row phases.
///
/// Output (oh, ow) reads, through kernel tap (c, kr, kc), the padded image at row oh·SH + kr·DH and
/// column ow·SW + kc·DW (stride S, dilation D). Kernel row kr falls in row phase (kr·DH) mod SH,
/// shifted by (kr·DH) / SH rows of that phase. The unfolded image U [KW, P, C, R, OW] holds, for each
/// kernel column kc, each of the P row phases φ that some kernel row falls in and each channel c,
/// the padded rows j·SH + φ (j < R = OH + (KH − 1)·DH / SH) at columns ow·SW + kc·DW, zero in the
/// padding. Numbering the outputs q = oh·OW + ow, tap t reads U[q + offset(t)] with
/// offset(t) = ((kc·P + phase index)·C + c)·R·OW + shift·OW: each row of the column matrix is a
/// contiguous stretch of U. With stride 1 there is one phase and R is the padded height, so U is KW
/// times the image where the column matrix would be KH·KW times the output (LeNet: 25 and 150 column
/// rows from 5 copies of 1 and 6 image planes); with a 3×3 kernel and stride 2 it is 6 planes of
/// about an output plane each per channel, where the column matrix has 9.
public struct DirectConvolution: Sendable {
    public let window: Window2d
    let outputHeight: Int, outputWidth: Int
    /// Rows R of one plane of U: OH + (KH − 1)·DH / SH.
    let phaseRows: Int
    /// The row phases P that some kernel row falls in (all SH of them unless the kernel is shorter
    /// than the stride, or the dilation skips some: a 1×1 kernel with stride 2 has one).
    let phaseCount: Int

    /// nil unless the unfolded image is small enough to stay in L2 (every output panel reads every
    /// tap's stretch of it), as the weight and input gradients need.
    public init?(_ window: Window2d) {
        self.init(forwardInBandsOf: window)
        guard unfoldedImageCount <= Self.largestUnfoldedImage else { return nil }
    }

    /// The forward pass of a larger window, which runs in bands of output positions whose rows of
    /// the unfolded image stay in L2 (`bandTiles`); nil without a stride, or when the rows that one
    /// output row reads do not fit (the band's rows would then be read from L3 for every panel of
    /// output channels: SGEMM's packed panels do better).
    public init?(forwardInBandsOf window: Window2d) {
        guard window.strideHeight >= 1, window.strideWidth >= 1 else { return nil }
        self.window = window
        (outputHeight, outputWidth) = (window.outputHeight, window.outputWidth)
        phaseRows = outputHeight + (window.kernelHeight - 1) * window.dilationHeight / window.strideHeight
        phaseCount = (0..<window.strideHeight).count { phase in Self.readsRowPhase(phase, window) }
        guard unfoldedImageCount <= Self.largestUnfoldedImage || bandOutputRows >= 1 else { return nil }
    }

    /// Whether some kernel row of `window` falls in row phase `phase`.
    private static func readsRowPhase(_ phase: Int, _ window: Window2d) -> Bool {
        (0..<window.kernelHeight).contains { kernelRow in kernelRow * window.dilationHeight % window.strideHeight == phase }
    }

    /// The index among U's phases of row phase `phase` (one that some kernel row falls in).
    private func phaseIndex(_ phase: Int) -> Int {
        (0..<phase).count { earlier in Self.readsRowPhase(earlier, window) }
    }

    /// The row phase at index `index` among U's phases (below `phaseCount`).
    private func rowPhase(atIndex index: Int) -> Int {
        var remaining = index
        for phase in 0..<window.strideHeight where Self.readsRowPhase(phase, window) {
            if remaining == 0 { return phase }
            remaining -= 1
        }
        preconditionFailure("row phase index \(index) of \(phaseCount)")
    }

    /// Whether the window has stride 1, which the input gradient's kernels need
    /// (`inputGradient(part:…)`); other strides take col2im(Wᵀ · dY).
    public var hasUnitStride: Bool { window.strideHeight == 1 && window.strideWidth == 1 }

    /// 512 KiB, half of a Cascade Lake core's L2: VGG's 32-channel 3×3 convolution over 32×32
    /// (104K floats) trains 8% faster here than through im2col and SGEMM (bench/README.md).
    static let largestUnfoldedImage = 1 << 17

    /// Floats past the end of the last unfolded image that the kernels read: `unfold` zeroes them.
    public static let readSlack = MicroTile.columns

    /// Floats of one plane of an unfolded image: R · OW.
    var unfoldedPlane: Int { phaseRows * outputWidth }
    /// Planes of one unfolded image [KW, P, C, R, OW]: KW · P · C.
    var unfoldedPlanes: Int { window.kernelWidth * phaseCount * window.channels }
    /// Floats of one unfolded image.
    public var unfoldedImageCount: Int { unfoldedPlanes * unfoldedPlane }
    /// Kernel taps, the column matrix's rows: C · KH · KW.
    public var taps: Int { window.channels * window.kernelHeight * window.kernelWidth }
    /// Output positions per channel, the column matrix's columns: OH · OW.
    var outputPlane: Int { outputHeight * outputWidth }
    /// Floats per output channel of an expanded output gradient: OH · OW rounded up to 16.
    public var expandedGradientCount: Int { (outputPlane + 15) / 16 * 16 }

    /// Unfolds `count` consecutive images [C, H, W] into consecutive unfolded images
    /// [KW, P, C, R, OW], then zeroes `readSlack` floats after them.
    public func unfold(count: Int, images: UnsafePointer<Float>, into unfolded: UnsafeMutablePointer<Float>) {
        unfold(count: count, images: images, rows: 0..<phaseRows, into: unfolded)
    }

    /// `unfold` of only the rows of every plane that the outputs `positions` read in
    /// `forward(…positions:)`: a part of an image unfolded in the working memory of the thread that
    /// computes it. The other rows hold what they held, or a neighbouring row's spill.
    public func unfold(count: Int, images: UnsafePointer<Float>, readBy positions: Range<Int>,
                       into unfolded: UnsafeMutablePointer<Float>) {
        guard !positions.isEmpty else { return }
        // Output row oh reads rows oh ... oh + R − OH of every plane.
        let rows = positions.lowerBound / outputWidth..<(positions.upperBound - 1) / outputWidth + 1 + phaseRows - outputHeight
        unfold(count: count, images: images, rows: rows, into: unfolded)
    }

    /// Writes rows `rows` (of R) of every plane of the unfolded images of `count` consecutive images,
    /// then zeroes `readSlack` floats after them.
    private func unfold(count: Int, images: UnsafePointer<Float>, rows: Range<Int>, into unfolded: UnsafeMutablePointer<Float>) {
        if hasUnitStride {
            unfoldUnitStride(count: count, images: images, rows: rows, into: unfolded)
        } else {
            unfoldStrided(count: count, images: images, rows: rows, into: unfolded)
        }
        zeroRun(unfolded + count * unfoldedImageCount, count: Self.readSlack)
    }

    /// `unfold(count:images:rows:into:)`'s planes for a strided window: each plane's rows gathered
    /// column by column, or, with a column stride of 2, as whole vectors of every other float from the
    /// row's first read (padding columns included, then zeroed) where those reads lie inside the images.
    /// Rows are written in order, so a row written as whole vectors may spill up to 15 floats into the
    /// next one, overwritten afterwards if it is in `rows`; the last plane's last row is gathered float
    /// by float instead.
    private func unfoldStrided(count: Int, images: UnsafePointer<Float>, rows: Range<Int>, into unfolded: UnsafeMutablePointer<Float>) {
        let height = window.height, width = window.width, channels = window.channels, outputWidth = outputWidth
        let strideWidth = window.strideWidth, imageCount = channels * height * width, sourceCount = count * imageCount
        let vectorWidth = (outputWidth + 15) / 16 * 16, planes = count * unfoldedPlanes
        for plane in 0..<planes {
            let channel = plane % channels, phaseIndex = plane / channels % phaseCount
            let kernelColumn = plane / (channels * phaseCount) % window.kernelWidth, image = plane / unfoldedPlanes
            let phase = rowPhase(atIndex: phaseIndex)
            // Output column ow reads image column ow·SW + kc·DW − padding.
            let start = kernelColumn * window.dilationWidth - window.paddingWidth
            let inside = inBoundsRange(start: start, step: strideWidth, count: outputWidth, limit: width)
            var destination = unfolded + plane * unfoldedPlane + rows.lowerBound * outputWidth
            for row in rows {
                let imageRow = row * window.strideHeight + phase - window.paddingHeight
                guard (0..<height).contains(imageRow), !inside.isEmpty else {
                    zeroRun(destination, count: outputWidth)
                    destination += outputWidth
                    continue
                }
                let firstRead = image * imageCount + (channel * height + imageRow) * width + start
                if strideWidth == 2, firstRead >= 0, firstRead + 2 * vectorWidth <= sourceCount,
                   plane < planes - 1 || row < phaseRows - 1 {
                    let source = images + firstRead
                    for offset in stride(from: 0, to: vectorWidth, by: 16) {
                        storeVector(evenLanes(loadVector(source + 2 * offset), loadVector(source + 2 * offset + 16)),
                                    destination + offset)
                    }
                    for column in 0..<inside.lowerBound { destination[column] = 0 }
                    for column in inside.upperBound..<outputWidth { destination[column] = 0 }
                } else {
                    let source = images + image * imageCount + (channel * height + imageRow) * width
                    zeroRun(destination, count: inside.lowerBound)
                    for column in inside { destination[column] = source[start + column * strideWidth] }
                    zeroRun(destination + inside.upperBound, count: outputWidth - inside.upperBound)
                }
                destination += outputWidth
            }
        }
    }

    /// `unfold(count:images:rows:into:)`'s planes for stride 1, where a plane is the padded image's
    /// rows shifted by its kernel column.
    ///
    /// Rows are copied as whole vectors from the padded row's start, padding columns included (they
    /// read the neighbouring row's values), then the padding columns are zeroed: no per-row range
    /// test but for the rows whose vectors would read before or past the images (the first rows of
    /// the first channel with left padding, the last rows of the last image). The destination is
    /// written in order, so a row copied as whole vectors may spill up to 15 floats into the next
    /// row, overwritten afterwards if it is in `rows`; the last plane's last row is copied run by run
    /// instead.
    private func unfoldUnitStride(count: Int, images: UnsafePointer<Float>, rows: Range<Int>,
                                  into unfolded: UnsafeMutablePointer<Float>) {
        let height = window.height, width = window.width, channels = window.channels, outputWidth = outputWidth
        let imageCount = channels * height * width, sourceEnd = images + count * imageCount
        let vectorWidth = (outputWidth + 15) / 16 * 16, planes = count * unfoldedPlanes
        // R = top padding rows, then the image's rows, then bottom padding rows.
        let padding = window.paddingHeight
        let topRows = rows.clamped(to: 0..<padding), bottomRows = rows.clamped(to: padding + height..<phaseRows)
        let imageRows = (rows.lowerBound - padding..<rows.upperBound - padding).clamped(to: 0..<height)
        for plane in 0..<planes {
            let image = plane / (window.kernelWidth * channels), kernelColumn = plane / channels % window.kernelWidth
            let channel = plane % channels
            // Output column ow reads image column ow + kc·dilation − padding.
            let start = kernelColumn * window.dilationWidth - window.paddingWidth
            let inside = inBoundsRange(start: start, step: 1, count: outputWidth, limit: width)
            let destination = unfolded + plane * unfoldedPlane + padding * outputWidth
            zeroRun(destination + (topRows.lowerBound - padding) * outputWidth, count: topRows.count * outputWidth)
            let offset = image * imageCount + channel * height * width + start, source = images + offset
            /// Copies rows `rows` one run at a time, zeroing the padding around it.
            func copyRowsInside(_ rows: Range<Int>) {
                for row in rows {
                    let rowDestination = destination + row * outputWidth
                    zeroRun(rowDestination, count: inside.lowerBound)
                    copyRun(from: source + row * width + inside.lowerBound, to: rowDestination + inside.lowerBound,
                            count: inside.count)
                    zeroRun(rowDestination + inside.upperBound, count: outputWidth - inside.upperBound)
                }
            }
            // Rows r whose vectors read inside the images: 0 ≤ offset + r·W and
            // source + r·W + vectorWidth ≤ sourceEnd (divisions only at the ends).
            let firstVectorRow = offset >= 0 ? 0 : min(height, (-offset + width - 1) / width)
            let room = sourceEnd - source - vectorWidth
            var vectorRowEnd = inside.isEmpty ? 0 : room >= (height - 1) * width ? height : room < 0 ? 0 : room / width + 1
            if plane == planes - 1 { vectorRowEnd = min(vectorRowEnd, height - 1) }
            let vectorRows = (firstVectorRow..<max(firstVectorRow, vectorRowEnd)).clamped(to: imageRows)
            copyRowsInside(imageRows.lowerBound..<vectorRows.lowerBound)
            Self.copyRowsAsVectors(vectorRows, vectorWidth: vectorWidth, from: source, sourceStride: width,
                                   to: destination, destinationStride: outputWidth, inside: inside)
            copyRowsInside(vectorRows.upperBound..<imageRows.upperBound)
            zeroRun(destination + (bottomRows.lowerBound - padding) * outputWidth, count: bottomRows.count * outputWidth)
        }
    }

    /// Copies rows `rows` of `vectorWidth` floats (a multiple of 16) from `source` to `destination`,
    /// the rows `sourceStride` and `destinationStride` floats apart, then zeroes each destination
    /// row's floats outside `inside` (of its first `destinationStride`).
    @inline(__always)
    private static func copyRowsAsVectors(_ rows: Range<Int>, vectorWidth: Int, from source: UnsafePointer<Float>, sourceStride: Int,
                                          to destination: UnsafeMutablePointer<Float>, destinationStride: Int, inside: Range<Int>) {
        let suffix = destinationStride - inside.upperBound
        var source = source + rows.lowerBound * sourceStride, destination = destination + rows.lowerBound * destinationStride
        for _ in rows {
            var offset = 0
            repeat {
                storeVector(loadVector(source + offset), destination + offset)
                offset += 16
            } while offset < vectorWidth
            for column in 0..<inside.lowerBound { destination[column] = 0 }
            for column in 0..<suffix { destination[inside.upperBound + column] = 0 }
            source += sourceStride
            destination += destinationStride
        }
    }

    /// The naive per-element `unfold` of one image [C, H, W] into [KW, P, C, R, OW] (without the
    /// slack), which the fast one is tested against.
    public func unfoldReference(image: UnsafePointer<Float>, into unfolded: UnsafeMutablePointer<Float>) {
        let (height, width) = (window.height, window.width)
        var index = 0
        for kernelColumn in 0..<window.kernelWidth {
            for phase in 0..<window.strideHeight where Self.readsRowPhase(phase, window) {
                for channel in 0..<window.channels {
                    for phaseRow in 0..<phaseRows {
                        for outputColumn in 0..<outputWidth {
                            let row = phaseRow * window.strideHeight + phase - window.paddingHeight
                            let column = outputColumn * window.strideWidth + kernelColumn * window.dilationWidth - window.paddingWidth
                            let inside = (0..<height).contains(row) && (0..<width).contains(column)
                            unfolded[index] = inside ? image[(channel * height + row) * width + column] : 0
                            index += 1
                        }
                    }
                }
            }
        }
    }

    /// Output positions per tile of the forward pass: two micro-tiles side by side.
    public static let tileColumns = 2 * MicroTile.columns

    /// Tiles of the forward pass over one output plane, the last one partial.
    public var tileCount: Int { (outputPlane + Self.tileColumns - 1) / Self.tileColumns }

    /// Tiles per band of the forward pass: all of them when the unfolded image fits in
    /// `largestUnfoldedImage` floats; otherwise `bandOutputRows` rows' worth, at least one tile.
    /// ResNet-18's 64-channel 3×3 convolution over 56×56 (an unfolded image of 624K floats) runs in
    /// bands of 7 tiles, 8 output rows.
    var bandTiles: Int {
        unfoldedImageCount <= Self.largestUnfoldedImage ? tileCount : max(1, bandOutputRows * outputWidth / Self.tileColumns)
    }

    /// Output rows whose reads of every plane (`unfold(…readBy:…)`) fit in `largestUnfoldedImage`
    /// floats, wherever in a row they start: R − OH + 1 rows of U more than the output rows.
    private var bandOutputRows: Int {
        Self.largestUnfoldedImage / (unfoldedPlanes * outputWidth) - (phaseRows - outputHeight) - 1
    }

    /// The output positions of tiles `tiles`, for `forward(…positions:)`.
    public func positions(ofTiles tiles: Range<Int>) -> Range<Int> {
        tiles.lowerBound * Self.tileColumns..<min(tiles.upperBound * Self.tileColumns, outputPlane)
    }

    /// output [OC, OH, OW] = weights [OC, taps] · columns(U) + bias [OC] (or nothing), for one
    /// unfolded image U followed by `readSlack` readable floats (another image, or `unfold`'s zeros);
    /// only the output positions `positions` (all by default; a range starting at a multiple of
    /// `tileColumns`, so that the parts of a split compute the same tiles as the whole).
    /// Tiles of 6 channels × 64 outputs (two micro-tiles, `MicroTileSums.accumulate(_:_:…)`), and
    /// one of 32 or fewer outputs at the end of a row of tiles.
    public func forward(unfolded: UnsafePointer<Float>, weights: UnsafePointer<Float>, outChannels: Int,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, positions: Range<Int>? = nil) {
        let taps = taps, positions = positions ?? 0..<outputPlane, outputPlane = outputPlane, columns = MicroTile.columns
        withTapOffsets { offsets in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: MicroTile.rows * columns) { tile in
                let tile = tile.baseAddress!
                for panelRow in stride(from: 0, to: outChannels, by: MicroTile.rows) {
                    let rowCount = min(MicroTile.rows, outChannels - panelRow)
                    /// Stores a micro-tile's sums into outputs columnStart ..< columnStart + columnCount.
                    func store(_ sums: MicroTileSums, columnStart: Int, columnCount: Int) {
                        let destination = output + panelRow * outputPlane + columnStart
                        if columnCount == columns {
                            return sums.store(into: destination, stride: outputPlane, alpha: 1, beta: 0, rowCount: rowCount)
                        }
                        sums.store(into: tile, stride: columns, alpha: 1, beta: 0)
                        for row in 0..<rowCount {
                            copyRun(from: tile + row * columns, to: destination + row * outputPlane, count: columnCount)
                        }
                    }
                    let start = bias.map { bias in MicroTileSums { r in bias[panelRow + min(r, rowCount - 1)] } } ?? MicroTileSums()
                    var panelStart = positions.lowerBound
                    while panelStart < positions.upperBound {
                        let columnCount = min(Self.tileColumns, positions.upperBound - panelStart)
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
                        let row = kernelRow * window.dilationHeight
                        let plane = (kernelColumn * phaseCount + phaseIndex(row % window.strideHeight)) * window.channels + channel
                        offsets[tap] = plane * unfoldedPlane + row / window.strideHeight * outputWidth
                        tap += 1
                    }
                }
            }
            return body(UnsafePointer(offsets))
        }
    }
}
