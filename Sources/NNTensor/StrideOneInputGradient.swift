/// The input gradient of a stride-1 convolution: the transposed convolution, gathered from dY.
extension StrideOneConvolution {
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
        ScratchBuffers.withBuffer(of: Int.self, count: 2 * kernelHeight * termsPerKernelRow) { table in
            // Term (kr, kc, oc), in that order: where its dY row and its weights lie, relative to
            // the row pair's origin and to the channel block's weights.
            let rowOffsets = table, weightOffsets = rowOffsets + kernelHeight * termsPerKernelRow
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
