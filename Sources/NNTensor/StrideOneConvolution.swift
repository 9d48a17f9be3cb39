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
    /// The destination is written in order, so a row copied as whole vectors may spill up to 15
    /// floats into the next row (or the slack): they are overwritten afterwards.
    public func unfold(count: Int, images: UnsafePointer<Float>, into unfolded: UnsafeMutablePointer<Float>) {
        let height = window.height, width = window.width, channels = window.channels, outputWidth = outputWidth
        let imageCount = channels * height * width, sourceEnd = images + count * imageCount
        let vectorWidth = (outputWidth + 15) / 16 * 16
        let topRows = window.paddingHeight * outputWidth, bottomRows = (paddedHeight - window.paddingHeight - height) * outputWidth
        var destination = unfolded
        for image in 0..<count {
            for kernelColumn in 0..<window.kernelWidth {
                // Output column ow reads image column ow + kc·dilation − padding.
                let start = kernelColumn * window.dilationWidth - window.paddingWidth
                let inside = inBoundsRange(start: start, step: 1, count: outputWidth, limit: width)
                for channel in 0..<channels {
                    zeroRun(destination, count: topRows)
                    destination += topRows
                    var source = images + image * imageCount + channel * height * width + start
                    for _ in 0..<height {
                        if inside.count == outputWidth && source + vectorWidth <= sourceEnd {
                            var offset = 0
                            repeat {
                                storeVector(loadVector(source + offset), destination + offset)
                                offset += 16
                            } while offset < vectorWidth
                        } else {
                            zeroRun(destination, count: inside.lowerBound)
                            copyRun(from: source + inside.lowerBound, to: destination + inside.lowerBound, count: inside.count)
                            zeroRun(destination + inside.upperBound, count: outputWidth - inside.upperBound)
                        }
                        source += width
                        destination += outputWidth
                    }
                    zeroRun(destination, count: bottomRows)
                    destination += bottomRows
                }
            }
        }
        zeroRun(destination, count: Self.readSlack)
    }

    /// output [OC, OH, OW] = weights [OC, taps] · columns(U) + bias [OC] (or nothing), for one
    /// unfolded image U followed by `readSlack` readable floats (another image, or `unfold`'s zeros).
    public func forward(unfolded: UnsafePointer<Float>, weights: UnsafePointer<Float>, outChannels: Int,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let taps = taps, outputPlane = outputPlane
        withTapOffsets { offsets in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: MicroTile.rows * MicroTile.columns) { tile in
                let tile = tile.baseAddress!
                for panelRow in stride(from: 0, to: outChannels, by: MicroTile.rows) {
                    let rowCount = min(MicroTile.rows, outChannels - panelRow)
                    for panelStart in stride(from: 0, to: outputPlane, by: MicroTile.columns) {
                        let columnCount = min(MicroTile.columns, outputPlane - panelStart)
                        var sums = bias.map { bias in MicroTileSums { r in bias[panelRow + min(r, rowCount - 1)] } }
                            ?? MicroTileSums()
                        sums.accumulate(depth: taps, a: weights + panelRow * taps, aRowStride: taps, aDepthStride: 1,
                                        rowCount: rowCount, b: OffsetPanelRows(base: unfolded + panelStart, offsets: offsets),
                                        columnCount: columnCount)
                        let destination = output + panelRow * outputPlane + panelStart
                        if rowCount == MicroTile.rows && columnCount == MicroTile.columns {
                            sums.store(into: destination, stride: outputPlane, alpha: 1, beta: 0)
                        } else {
                            sums.store(into: tile, stride: MicroTile.columns, alpha: 1, beta: 0)
                            for row in 0..<rowCount {
                                copyRun(from: tile + row * MicroTile.columns, to: destination + row * outputPlane,
                                        count: columnCount)
                            }
                        }
                    }
                }
            }
        }
    }

    /// dY [OC, OH, OW] → [OC, expandedGradientCount]: each channel's OH · OW values, then zeros up
    /// to a multiple of 16, the layout `accumulateWeightGradient` reads. `channelSums[oc]` (a bias
    /// gradient), if given, is added the sum of dY[oc] (in 16 lanes).
    public func expandOutputGradient(_ outputGradient: UnsafePointer<Float>, outChannels: Int,
                                     into expanded: UnsafeMutablePointer<Float>,
                                     channelSums: UnsafeMutablePointer<Float>? = nil) {
        let outputPlane = outputPlane, rowCount = expandedGradientCount
        for channel in 0..<outChannels {
            let row = expanded + channel * rowCount
            copyRun(from: outputGradient + channel * outputPlane, to: row, count: outputPlane)
            zeroRun(row + outputPlane, count: rowCount - outputPlane)
            if let channelSums {
                var lanes = SIMD16<Float>()
                for p in stride(from: 0, to: rowCount, by: 16) { lanes += loadVector(row + p) }
                channelSums[channel] += lanes.sum()
            }
        }
    }

    /// One of several calls of `accumulateWeightGradient` that together sum over a run of images:
    /// the blocks' vector sums wait in `sums` (`weightGradientSumsCount` floats) between calls, and
    /// reach the weight gradient in the last.
    public struct WeightGradientPass {
        public var sums: UnsafeMutablePointer<Float>
        public var isFirst: Bool, isLast: Bool
        public init(sums: UnsafeMutablePointer<Float>, isFirst: Bool, isLast: Bool) {
            self.sums = sums
            self.isFirst = isFirst
            self.isLast = isLast
        }
    }

    /// Images per `accumulateWeightGradient` call when the images come in passes: enough for about
    /// 512 steps along K per block (the vector sums are loaded and stored once per call), few
    /// enough for one image's data to stay in L1 while the blocks reread it (LeNet: 1 and 4).
    public var imagesPerWeightGradientPass: Int { (512 + expandedGradientCount - 1) / expandedGradientCount }

    /// Floats of `WeightGradientPass.sums` for `outChannels` output channels.
    public func weightGradientSumsCount(outChannels: Int) -> Int {
        let blocking = weightGradientBlocking(outChannels: outChannels)
        return blocking.channelBlocks * blocking.tapBlocks * DotBlock.rowsOfA * DotBlock.rowsOfB * 16
    }

    /// Blocks pair 3 output channels with 4 taps, or 4 channels with 3 taps, whichever pads the
    /// weight gradient less (LeNet: 6 × 25 → 6 × 28; 16 × 150 exactly).
    private func weightGradientBlocking(outChannels: Int)
        -> (channelsFirst: Bool, channelsPerBlock: Int, tapsPerBlock: Int, channelBlocks: Int, tapBlocks: Int) {
        func blocks(_ count: Int, of size: Int) -> Int { (count + size - 1) / size }
        let (three, four) = (DotBlock.rowsOfA, DotBlock.rowsOfB)
        let channelsFirst = blocks(outChannels, of: three) * three * blocks(taps, of: four) * four
            <= blocks(outChannels, of: four) * four * blocks(taps, of: three) * three
        let (channelsPerBlock, tapsPerBlock) = channelsFirst ? (three, four) : (four, three)
        return (channelsFirst, channelsPerBlock, tapsPerBlock, blocks(outChannels, of: channelsPerBlock),
                blocks(taps, of: tapsPerBlock))
    }

    /// dW [OC, taps] += Σ over `images` of dY_i · columns(U_i)ᵀ, with U_i at `unfolded + i·unfoldedStride`
    /// (followed by `readSlack` zeros after the last) and dY_i expanded at `expanded + i·expandedStride`.
    /// With a `pass`, the sums are carried between calls and dW is updated in the last one.
    ///
    /// A·Bᵀ along K (`DotBlock`): the tap rows are the taps' stretches of the unfolded image, read in
    /// place. Each block sums over all the images of the call before its sums are stored or reduced.
    public func accumulateWeightGradient(images: Int, unfolded: UnsafePointer<Float>, unfoldedStride: Int,
                                         expanded: UnsafePointer<Float>, expandedStride: Int, outChannels: Int,
                                         weightGradient: UnsafeMutablePointer<Float>, pass: WeightGradientPass? = nil) {
        let taps = taps, depth = 0..<expandedGradientCount, rowLength = expandedGradientCount
        let blocking = weightGradientBlocking(outChannels: outChannels), channelsFirst = blocking.channelsFirst
        let blockSums = DotBlock.rowsOfA * DotBlock.rowsOfB * 16
        withTapOffsets { offsets in
            for channelBlock in 0..<blocking.channelBlocks {
                for tapBlock in 0..<blocking.tapBlocks {
                    let firstChannel = channelBlock * blocking.channelsPerBlock, firstTap = tapBlock * blocking.tapsPerBlock
                    // Past the last channel (tap) a block repeats it and drops the duplicate sums.
                    func channel(_ r: Int) -> Int { min(firstChannel + r, outChannels - 1) }
                    func tap(_ s: Int) -> Int { min(firstTap + s, taps - 1) }
                    let sums = pass.map { $0.sums + (channelBlock * blocking.tapBlocks + tapBlock) * blockSums }
                    func slot(_ r: Int, _ s: Int) -> UnsafeMutablePointer<Float> { sums! + (r * DotBlock.rowsOfB + s) * 16 }
                    var block = DotBlock()
                    if let pass, !pass.isFirst { block.load(slot) }
                    if channelsFirst {
                        block.accumulate(depth: depth, a: { expanded + channel($0) * rowLength }, b: { unfolded + offsets[tap($0)] },
                                         repeats: images, aStride: expandedStride, bStride: unfoldedStride)
                    } else {
                        block.accumulate(depth: depth, a: { unfolded + offsets[tap($0)] }, b: { expanded + channel($0) * rowLength },
                                         repeats: images, aStride: unfoldedStride, bStride: expandedStride)
                    }
                    if let pass, !pass.isLast { block.store(slot); continue }
                    block.forEachSum { first, second, sum in
                        let (r, s) = channelsFirst ? (first, second) : (second, first)
                        guard firstChannel + r < outChannels, firstTap + s < taps else { return }
                        weightGradient[(firstChannel + r) * taps + firstTap + s] += sum
                    }
                }
            }
        }
    }

    /// Zero columns before each row of dY padded for `inputGradient`: the leftmost tap of input
    /// column 0 reads output column padding − (KW − 1)·dilation.
    var gradientLeftPadding: Int { max(0, (window.kernelWidth - 1) * window.dilationWidth - window.paddingWidth) }
    /// Floats per row of dY padded for `inputGradient`: room for the 16-lane loads of every chunk.
    var paddedGradientRowLength: Int {
        gradientLeftPadding + max(outputWidth, (window.width + 15) / 16 * 16 + window.paddingWidth)
    }
    /// Zero rows above dY padded for `inputGradient`: the top tap of input row 0 reads output row
    /// padding − (KH − 1)·dilation.
    var gradientTopPadding: Int { max(0, (window.kernelHeight - 1) * window.dilationHeight - window.paddingHeight) }
    /// Rows of dY padded for `inputGradient`, down to the one the row after the last input row reads.
    var paddedGradientRows: Int { gradientTopPadding + max(outputHeight, window.height + window.paddingHeight + 1) }
    /// Input channels `inputGradient` computes together.
    static let inputGradientChannels = MicroTile.rows
    /// Floats of the weights as `inputGradient` reads them: [channel blocks, OC, KH, KW, 6 channels].
    func transposedWeightCount(outChannels: Int) -> Int {
        let block = Self.inputGradientChannels
        return (window.channels + block - 1) / block * block * outChannels * window.kernelHeight * window.kernelWidth
    }
    /// Floats of the working memory `inputGradient` needs for `outChannels` output channels.
    public func inputGradientScratchCount(outChannels: Int) -> Int {
        transposedWeightCount(outChannels: outChannels) + outChannels * paddedGradientRows * paddedGradientRowLength
    }

    /// dX_i [C, H, W] = the transposed convolution of dY_i [OC, OH, OW] with weights [OC, taps], for
    /// `images` images (dY_i at `outputGradients + i·outputGradientStride`, dX_i at
    /// `inputGradients + i·inputGradientStride`): each input position gets the dY of every
    /// (output channel, tap) that read it times that weight. dX is overwritten.
    ///
    /// Gathered, without a column matrix. `scratch` (`inputGradientScratchCount` floats) holds the
    /// weights regrouped six input channels at a time, and dY with zero rows and columns around it.
    /// Per 16-column chunk of two input rows and six input channels, each tap's two shifted rows
    /// of dY meet six broadcast weights in twelve accumulators.
    public func inputGradient(images: Int, outputGradients: UnsafePointer<Float>, outputGradientStride: Int,
                              weights: UnsafePointer<Float>, outChannels: Int,
                              inputGradients: UnsafeMutablePointer<Float>, inputGradientStride: Int,
                              scratch: UnsafeMutablePointer<Float>) {
        let height = window.height, width = window.width, channels = window.channels
        let kernelHeight = window.kernelHeight, kernelWidth = window.kernelWidth, kernelPlane = kernelHeight * kernelWidth
        let dilationHeight = window.dilationHeight, dilationWidth = window.dilationWidth
        let paddingHeight = window.paddingHeight, outputHeight = outputHeight, outputWidth = outputWidth
        let rowLength = paddedGradientRowLength, paddedPlane = paddedGradientRows * rowLength, taps = taps
        let block = Self.inputGradientChannels, blockWeights = outChannels * kernelPlane * block
        // Weights [OC, C, KH, KW] → [C / 6, OC, KH, KW, 6], zero for the channels past the last.
        let regrouped = scratch
        for firstChannel in stride(from: 0, to: channels, by: block) {
            var destination = regrouped + firstChannel / block * blockWeights
            for outChannel in 0..<outChannels {
                for tap in 0..<kernelPlane {
                    for r in 0..<block {
                        let channel = firstChannel + r
                        destination[r] = channel < channels ? weights[outChannel * taps + channel * kernelPlane + tap] : 0
                    }
                    destination += block
                }
            }
        }
        let padded = scratch + transposedWeightCount(outChannels: outChannels)
        zeroRun(padded, count: outChannels * paddedPlane)
        // Input (row, column) reads padded dY (row + padding − kr·dilation + top, column + padding −
        // kc·dilation + left).
        let origin = UnsafePointer(padded) + (gradientTopPadding + paddingHeight) * rowLength + gradientLeftPadding
            + window.paddingWidth
        // Kernel row kr reads an output row for input row `row` or `row + 1` if row + padding −
        // kr·dilation lies in −1..<OH.
        let rowPairReach = -1..<outputHeight, termsPerKernelRow = kernelWidth * outChannels
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * kernelHeight * termsPerKernelRow) { table in
            // Term (kr, kc, oc), in that order: where its dY row and its weights lie, relative to
            // the row pair's origin and to the channel block's weights.
            let rowOffsets = table.baseAddress!, weightOffsets = rowOffsets + kernelHeight * termsPerKernelRow
            var term = 0
            for kernelRow in 0..<kernelHeight {
                for kernelColumn in 0..<kernelWidth {
                    for outChannel in 0..<outChannels {
                        rowOffsets[term] = outChannel * paddedPlane - kernelRow * dilationHeight * rowLength
                            - kernelColumn * dilationWidth
                        weightOffsets[term] = (outChannel * kernelPlane + kernelRow * kernelWidth + kernelColumn) * block
                        term += 1
                    }
                }
            }
            for image in 0..<images {
                var source = outputGradients + image * outputGradientStride
                for outChannel in 0..<outChannels {
                    var destination = padded + outChannel * paddedPlane + gradientTopPadding * rowLength + gradientLeftPadding
                    for _ in 0..<outputHeight {
                        copyRun(from: source, to: destination, count: outputWidth)
                        source += outputWidth
                        destination += rowLength
                    }
                }
                let inputGradient = inputGradients + image * inputGradientStride
                for firstChannel in stride(from: 0, to: channels, by: block) {
                    let channelWeights = UnsafePointer(regrouped + firstChannel / block * blockWeights)
                    for row in stride(from: 0, to: height, by: 2) {
                        // The kernel rows that read an output row from input row `row` or `row + 1`.
                        var firstKernelRow = kernelHeight, endKernelRow = 0
                        for kernelRow in 0..<kernelHeight
                        where rowPairReach.contains(row + paddingHeight - kernelRow * dilationHeight) {
                            firstKernelRow = min(firstKernelRow, kernelRow)
                            endKernelRow = kernelRow + 1
                        }
                        let kernelRows = firstKernelRow < endKernelRow ? firstKernelRow..<endKernelRow : 0..<0
                        for chunkStart in stride(from: 0, to: width, by: 16) {
                            var sums = TwoRowSums()
                            sums.accumulate(terms: kernelRows.lowerBound * termsPerKernelRow..<kernelRows.upperBound * termsPerKernelRow,
                                            rows: origin + row * rowLength + chunkStart, rowOffsets: rowOffsets,
                                            rowDistance: rowLength, weights: channelWeights, weightOffsets: weightOffsets)
                            sums.store(into: inputGradient + (firstChannel * height + row) * width + chunkStart, rowStride: width,
                                       channelStride: height * width, rowCount: min(2, height - row),
                                       channelCount: min(block, channels - firstChannel), columnCount: min(16, width - chunkStart))
                        }
                    }
                }
            }
        }
    }

    /// Runs `body` with offset(t) for every tap t = (c, kr, kc), in column-matrix row order.
    private func withTapOffsets<Result>(_ body: (UnsafePointer<Int>) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: taps) { offsets in
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
            return body(UnsafePointer(offsets.baseAddress!))
        }
    }
}

/// Twelve accumulators of `StrideOneConvolution.inputGradient`: six channels × two rows × 16 columns.
private struct TwoRowSums {
    var s00 = SIMD16<Float>(), s01 = SIMD16<Float>(), s10 = SIMD16<Float>(), s11 = SIMD16<Float>()
    var s20 = SIMD16<Float>(), s21 = SIMD16<Float>(), s30 = SIMD16<Float>(), s31 = SIMD16<Float>()
    var s40 = SIMD16<Float>(), s41 = SIMD16<Float>(), s50 = SIMD16<Float>(), s51 = SIMD16<Float>()

    /// For each term t in `terms`: adds weights[weightOffsets[t] + r] · (16 floats at
    /// rows + rowOffsets[t]) to channel r's first row, and the same with the 16 floats
    /// `rowDistance` further to its second. One flat loop: nested loops make the compiler copy all
    /// twelve accumulators between registers every iteration.
    @inline(__always) mutating func accumulate(terms: Range<Int>, rows: UnsafePointer<Float>, rowOffsets: UnsafePointer<Int>,
                                               rowDistance: Int, weights: UnsafePointer<Float>,
                                               weightOffsets: UnsafePointer<Int>) {
        guard !terms.isEmpty else { return }
        var term = terms.lowerBound
        repeat {
            let row = rows + rowOffsets[term], weight = weights + weightOffsets[term]
            let first = loadVector(row), second = loadVector(row + rowDistance)
            let w0 = weight[0], w1 = weight[1], w2 = weight[2], w3 = weight[3], w4 = weight[4], w5 = weight[5]
            s00.addProduct(w0, first); s01.addProduct(w0, second); s10.addProduct(w1, first); s11.addProduct(w1, second)
            s20.addProduct(w2, first); s21.addProduct(w2, second); s30.addProduct(w3, first); s31.addProduct(w3, second)
            s40.addProduct(w4, first); s41.addProduct(w4, second); s50.addProduct(w5, first); s51.addProduct(w5, second)
            term += 1
        } while term < terms.upperBound
    }

    /// Stores the first `columnCount` lanes of channel r, row q at `destination + r·channelStride +
    /// q·rowStride`, for r < channelCount and q < rowCount.
    @inline(__always) func store(into destination: UnsafeMutablePointer<Float>, rowStride: Int, channelStride: Int,
                                 rowCount: Int, channelCount: Int, columnCount: Int) {
        func store(_ channel: Int, _ first: SIMD16<Float>, _ second: SIMD16<Float>) {
            guard channel < channelCount else { return }
            storeChunk(first, destination + channel * channelStride, count: columnCount)
            if rowCount > 1 { storeChunk(second, destination + channel * channelStride + rowStride, count: columnCount) }
        }
        store(0, s00, s01); store(1, s10, s11); store(2, s20, s21); store(3, s30, s31); store(4, s40, s41); store(5, s50, s51)
    }
}

/// The naive convolution of one image the fast kernels are tested against, any window:
/// output [OC, OH, OW] = Σ over taps of weights [OC, C, KH, KW] · image [C, H, W] + bias [OC].
public func convolutionReference(_ window: Window2d, image: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                                 outChannels: Int, bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
    forEachConvolutionTerm(window, outChannels: outChannels) { outputIndex, imageIndex, weightIndex, isFirst in
        if isFirst { output[outputIndex] = bias?[outputIndex / (window.outputHeight * window.outputWidth)] ?? 0 }
        if let imageIndex { output[outputIndex] += weights[weightIndex] * image[imageIndex] }
    }
}

/// The naive weight gradient of one image: weightGradient [OC, C, KH, KW] += Σ over outputs of
/// outputGradient [OC, OH, OW] times the image [C, H, W] value each tap read.
public func convolutionWeightGradientReference(_ window: Window2d, image: UnsafePointer<Float>,
                                               outputGradient: UnsafePointer<Float>, outChannels: Int,
                                               weightGradient: UnsafeMutablePointer<Float>) {
    forEachConvolutionTerm(window, outChannels: outChannels) { outputIndex, imageIndex, weightIndex, _ in
        if let imageIndex { weightGradient[weightIndex] += outputGradient[outputIndex] * image[imageIndex] }
    }
}

/// The naive input gradient of one image: inputGradient [C, H, W] += Σ over outputs and taps of
/// weights [OC, C, KH, KW] times outputGradient [OC, OH, OW], at the image position each tap read.
public func convolutionInputGradientReference(_ window: Window2d, outputGradient: UnsafePointer<Float>,
                                              weights: UnsafePointer<Float>, outChannels: Int,
                                              inputGradient: UnsafeMutablePointer<Float>) {
    forEachConvolutionTerm(window, outChannels: outChannels) { outputIndex, imageIndex, weightIndex, _ in
        if let imageIndex { inputGradient[imageIndex] += weights[weightIndex] * outputGradient[outputIndex] }
    }
}

/// Calls `body(output index, image index or nil for padding, weight index, whether it is the
/// output's first term)` for every (output, tap) pair, taps in weight order for each output.
private func forEachConvolutionTerm(_ window: Window2d, outChannels: Int,
                                    _ body: (Int, Int?, Int, Bool) -> Void) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    for outChannel in 0..<outChannels {
        for outputRow in 0..<outputHeight {
            for outputColumn in 0..<outputWidth {
                let outputIndex = (outChannel * outputHeight + outputRow) * outputWidth + outputColumn
                var weightIndex = outChannel * window.channels * window.kernelHeight * window.kernelWidth
                for channel in 0..<window.channels {
                    for kernelRow in 0..<window.kernelHeight {
                        for kernelColumn in 0..<window.kernelWidth {
                            let y = outputRow * window.strideHeight - window.paddingHeight + kernelRow * window.dilationHeight
                            let x = outputColumn * window.strideWidth - window.paddingWidth + kernelColumn * window.dilationWidth
                            let inside = y >= 0 && y < window.height && x >= 0 && x < window.width
                            let isFirst = weightIndex == outChannel * window.channels * window.kernelHeight * window.kernelWidth
                            body(outputIndex, inside ? (channel * window.height + y) * window.width + x : nil, weightIndex, isFirst)
                            weightIndex += 1
                        }
                    }
                }
            }
        }
    }
}
