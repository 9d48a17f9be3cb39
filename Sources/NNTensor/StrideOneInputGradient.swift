/// The input gradient of a stride-1 convolution (`DirectConvolution.hasUnitStride`): the transposed
/// convolution, gathered from dY.
extension DirectConvolution {
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
    /// Floats of the weights as `inputGradient` reads them, [C / 6, terms (kr, kc, oc), 6 channels],
    /// rounded up to 16 (the working memory after them holds vectors).
    func regroupedWeightCount(outChannels: Int) -> Int {
        let block = Self.inputGradientChannels
        return ((window.channels + block - 1) / block * block * outChannels * window.kernelHeight * window.kernelWidth + 15) / 16 * 16
    }
    /// Floats of the working memory `inputGradient` needs for `outChannels` output channels.
    public func inputGradientScratchCount(outChannels: Int) -> Int {
        regroupedWeightCount(outChannels: outChannels)
            + max(outChannels * paddedGradientRows * paddedGradientRowLength,
                  computesAcrossImages(outChannels: outChannels) ? acrossImagesScratchCount(outChannels: outChannels) : 0)
    }

    /// The parts `inputGradient(part:of:…)` splits a batch of `batch` images with `outChannels`
    /// output channels into for `threads` threads.
    public func inputGradientParts(batch: Int, outChannels: Int, threads: Int) -> StrideOneInputGradientParts {
        StrideOneInputGradientParts(batch: batch, height: window.height, threads: threads,
                                    acrossImages: computesAcrossImages(outChannels: outChannels))
    }

    /// Part `part` of `parts` of the input gradient of a batch: dX_i [C, H, W] = the transposed
    /// convolution of dY_i [OC, OH, OW] with weights [OC, taps] (dY_i at `outputGradients +
    /// i·outputGradientStride`, dX_i at `inputGradients + i·inputGradientStride`), for the images and
    /// input rows of the part: each input position gets the dY of every (output channel, tap) that
    /// read it times that weight. The part's dX is overwritten.
    ///
    /// Gathered, without a column matrix, from the weights regrouped six input channels at a time at
    /// the start of `scratch` (`inputGradientScratchCount` floats): across 16 images, one per vector
    /// lane (`inputGradientAcrossImages`), or image by image along the input rows
    /// (`inputGradientAlongRows`). Each position sums its terms in the order (kr, kc, oc) either way:
    /// the same products, in the same order, but for zeros from terms that read outside dY.
    public func inputGradient(part: Int, of parts: StrideOneInputGradientParts, outputGradients: UnsafePointer<Float>,
                              outputGradientStride: Int, weights: UnsafePointer<Float>, outChannels: Int,
                              inputGradients: UnsafeMutablePointer<Float>, inputGradientStride: Int,
                              scratch: UnsafeMutablePointer<Float>) {
        regroupWeightsForInputGradient(weights, outChannels: outChannels, into: scratch)
        let working = scratch + regroupedWeightCount(outChannels: outChannels)
        let (images, inputRows) = parts.part(part)
        let firstOutputGradient = outputGradients + images.lowerBound * outputGradientStride
        let firstInputGradient = inputGradients + images.lowerBound * inputGradientStride
        if let inputRows {
            inputGradientAcrossImages(inputRows: inputRows, outputGradients: firstOutputGradient,
                                      outputGradientStride: outputGradientStride, regrouped: scratch, outChannels: outChannels,
                                      inputGradients: firstInputGradient, inputGradientStride: inputGradientStride, scratch: working)
        } else {
            inputGradientAlongRows(images: images.count, outputGradients: firstOutputGradient,
                                   outputGradientStride: outputGradientStride, regrouped: scratch, outChannels: outChannels,
                                   inputGradients: firstInputGradient, inputGradientStride: inputGradientStride, scratch: working)
        }
    }

    /// Weights [OC, C, KH, KW] → [C / 6, terms (kr, kc, oc), 6 channels], zero for the channels past the last.
    private func regroupWeightsForInputGradient(_ weights: UnsafePointer<Float>, outChannels: Int,
                                                into regrouped: UnsafeMutablePointer<Float>) {
        let block = Self.inputGradientChannels, channels = window.channels, kernelPlane = window.kernelHeight * window.kernelWidth
        var destination = regrouped
        for firstChannel in stride(from: 0, to: channels, by: block) {
            for tap in 0..<kernelPlane {
                for outChannel in 0..<outChannels {
                    for r in 0..<block {
                        let channel = firstChannel + r
                        destination[r] = channel < channels ? weights[(outChannel * channels + channel) * kernelPlane + tap] : 0
                    }
                    destination += block
                }
            }
        }
    }

    /// The kernel offsets k (a range) for which input position `position` is read by an output
    /// position position + padding − k·dilation inside `outputs`.
    static func kernelOffsets(reading position: Int, padding: Int, dilation: Int, kernel: Int,
                              outputs: Range<Int>) -> Range<Int> {
        var first = kernel, end = 0
        for offset in 0..<kernel where outputs.contains(position + padding - offset * dilation) {
            first = min(first, offset)
            end = offset + 1
        }
        return first < end ? first..<end : 0..<0
    }

    /// `inputGradient` image by image, from `regrouped` weights, with dY padded with zero rows and
    /// columns in `scratch` (the terms that read them add zeros). Per 16-column chunk of two input
    /// rows and six input channels, each tap's two shifted rows of dY meet six broadcast weights in
    /// twelve accumulators.
    private func inputGradientAlongRows(images: Int, outputGradients: UnsafePointer<Float>, outputGradientStride: Int,
                                        regrouped: UnsafePointer<Float>, outChannels: Int,
                                        inputGradients: UnsafeMutablePointer<Float>, inputGradientStride: Int,
                                        scratch: UnsafeMutablePointer<Float>) {
        let height = window.height, width = window.width, channels = window.channels
        let kernelHeight = window.kernelHeight, kernelWidth = window.kernelWidth
        let dilationHeight = window.dilationHeight, dilationWidth = window.dilationWidth
        let paddingHeight = window.paddingHeight, outputHeight = outputHeight, outputWidth = outputWidth
        let rowLength = paddedGradientRowLength, paddedPlane = paddedGradientRows * rowLength
        let block = Self.inputGradientChannels, termsPerKernelRow = kernelWidth * outChannels
        let blockWeights = kernelHeight * termsPerKernelRow * block
        let padded = scratch
        zeroRun(padded, count: outChannels * paddedPlane)
        // Input (row, column) reads padded dY (row + padding − kr·dilation + top, column + padding −
        // kc·dilation + left).
        let origin = UnsafePointer(padded) + (gradientTopPadding + paddingHeight) * rowLength + gradientLeftPadding
            + window.paddingWidth
        ScratchBuffers.withBuffer(of: Int.self, count: kernelHeight * termsPerKernelRow) { rowOffsets in
            // Term (kr, kc, oc): where its dY row lies relative to the row pair's origin.
            var term = 0
            for kernelRow in 0..<kernelHeight {
                for kernelColumn in 0..<kernelWidth {
                    for outChannel in 0..<outChannels {
                        rowOffsets[term] = outChannel * paddedPlane - kernelRow * dilationHeight * rowLength
                            - kernelColumn * dilationWidth
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
                    let channelWeights = regrouped + firstChannel / block * blockWeights
                    for row in stride(from: 0, to: height, by: 2) {
                        // The kernel rows that read an output row from input row `row` or `row + 1`.
                        let kernelRows = Self.kernelOffsets(reading: row, padding: paddingHeight, dilation: dilationHeight,
                                                            kernel: kernelHeight, outputs: -1..<outputHeight)
                        for chunkStart in stride(from: 0, to: width, by: 16) {
                            var sums = SixChannelPairSums()
                            let terms = kernelRows.lowerBound * termsPerKernelRow..<kernelRows.upperBound * termsPerKernelRow
                            if !terms.isEmpty {
                                sums.accumulate(terms: terms, base: origin + row * rowLength + chunkStart, offsets: rowOffsets,
                                                offsetScale: 1, secondDistance: rowLength, weights: channelWeights)
                            }
                            sums.storeRows(into: inputGradient + (firstChannel * height + row) * width + chunkStart, rowStride: width,
                                           channelStride: height * width, rowCount: min(2, height - row),
                                           channelCount: min(block, channels - firstChannel), columnCount: min(16, width - chunkStart))
                        }
                    }
                }
            }
        }
    }
}
