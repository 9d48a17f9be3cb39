/// The input gradient of a stride-1 convolution computed for 16 images at once, one image per
/// vector lane: no multiply-adds for a zero border or for lanes past a row's end, where
/// `inputGradientAlongRows` has both.
extension DirectConvolution {
    /// Images `inputGradientAcrossImages` computes at once: the lanes of a `SIMD16`.
    static let imagesPerLaneGroup = 16
    /// Input columns of the row of dX in lanes: whole 16×16 transposes.
    private var laneRowWidth: Int { (window.width + 15) / 16 * 16 }
    /// Output positions per output row of the transposed dY: a zero position either side.
    private var laneOutputRowWidth: Int { outputWidth + 2 }

    /// Whether `inputGradient` computes groups of images across images: when their transposed dY
    /// stays in L2 (LeNet's second convolution: 30,720 floats).
    func computesAcrossImages(outChannels: Int) -> Bool {
        outputHeight * laneOutputRowWidth * outChannels * Self.imagesPerLaneGroup <= 1 << 17
    }

    /// Floats of the working memory of `inputGradientAcrossImages` (after the regrouped weights):
    /// dY transposed to [OH, OW + 2, OC, 16 images], then one input row of dX [C, W, 16 images].
    func acrossImagesScratchCount(outChannels: Int) -> Int {
        (outputHeight * laneOutputRowWidth * outChannels + window.channels * laneRowWidth) * Self.imagesPerLaneGroup
    }

    /// dX_i [C, `inputRows`, W] for 16 images from dY_i [OC, OH, OW] (strides as in `inputGradient`),
    /// with `regrouped` the weights in term order (`regroupWeightsForInputGradient`).
    ///
    /// dY is transposed to [OH, OW + 2, OC] vectors of one value per image, a zero position either
    /// side of each output row. dX[c, row, column] sums weight · dY over the terms (kr, kc, oc) whose
    /// output row lies inside dY, in that order, for the kernel columns whose output column lies
    /// inside dY for `column` or for the other column of its pair (columns 2j and 2j + 1 share their
    /// terms: one column's extra terms read zero positions). Six input channels × two columns at a
    /// time, one vector each, the weights broadcast.
    func inputGradientAcrossImages(inputRows: Range<Int>, outputGradients: UnsafePointer<Float>, outputGradientStride: Int,
                                   regrouped: UnsafePointer<Float>, outChannels: Int,
                                   inputGradients: UnsafeMutablePointer<Float>, inputGradientStride: Int,
                                   scratch: UnsafeMutablePointer<Float>) {
        let kernelWidth = window.kernelWidth, outputRowWidth = laneOutputRowWidth
        let terms = window.kernelHeight * kernelWidth * outChannels, pairs = (window.width + 1) / 2
        let outputCount = outChannels * outputPlane
        ScratchBuffers.withBuffer(of: Int.self, count: terms + 2 * pairs + outputCount) { table in
            let outputOffsets = table, pairKernels = table + terms, destinations = pairKernels + 2 * pairs
            // Term (kr, kc, oc): where its dY lies relative to the input position's (row + padding,
            // column + padding) in the transposed dY, in vectors.
            var term = 0
            for kernelRow in 0..<window.kernelHeight {
                for kernelColumn in 0..<kernelWidth {
                    for outChannel in 0..<outChannels {
                        outputOffsets[term] = -(kernelRow * window.dilationHeight * outputRowWidth
                                                + kernelColumn * window.dilationWidth) * outChannels + outChannel
                        term += 1
                    }
                }
            }
            // Per column pair: the first and end kernel column whose output column lies inside dY
            // for either column (the last pair's second column may lie past the row: the first's).
            for pair in 0..<pairs {
                let first = kernelColumns(reading: 2 * pair)
                let second = 2 * pair + 1 < window.width ? kernelColumns(reading: 2 * pair + 1) : first
                let either = first.isEmpty ? second : second.isEmpty ? first
                    : min(first.lowerBound, second.lowerBound)..<max(first.upperBound, second.upperBound)
                pairKernels[2 * pair] = either.lowerBound
                pairKernels[2 * pair + 1] = either.upperBound
            }
            // dY element (oc, oh, ow) → transposed position (oh, ow + 1, oc).
            var element = 0
            for outChannel in 0..<outChannels {
                for outputRow in 0..<outputHeight {
                    for outputColumn in 0..<outputWidth {
                        destinations[element] = (outputRow * outputRowWidth + outputColumn + 1) * outChannels + outChannel
                        element += 1
                    }
                }
            }
            let transposed = scratch
            transposeOutputGradients(outputGradients, stride: outputGradientStride, outChannels: outChannels,
                                     destinations: destinations, into: transposed)
            let row = scratch + outputHeight * outputRowWidth * outChannels * Self.imagesPerLaneGroup
            let terms = LaneGroupTerms(outputOffsets: outputOffsets, pairKernels: pairKernels, weights: regrouped,
                                       kernelWidth: kernelWidth, outChannels: outChannels, count: terms)
            for inputRow in inputRows {
                accumulateRow(inputRow, terms: terms, transposed: transposed, into: row)
                storeRow(row, inputRow: inputRow, before: inputRows.upperBound, into: inputGradients, stride: inputGradientStride)
            }
        }
    }

    /// The kernel columns whose output column lies inside dY for input column `column`.
    private func kernelColumns(reading column: Int) -> Range<Int> {
        Self.kernelOffsets(reading: column, padding: window.paddingWidth, dilation: window.dilationWidth,
                           kernel: window.kernelWidth, outputs: 0..<outputWidth)
    }

    /// dY of 16 images [OC, OH, OW] (image i at `outputGradients + i·stride`) → `transposed`
    /// [OH, OW + 2, OC] vectors, element e at vector `destinations[e]`, the zero positions zeroed.
    /// 16 elements of the 16 images per transpose.
    private func transposeOutputGradients(_ outputGradients: UnsafePointer<Float>, stride: Int, outChannels: Int,
                                          destinations: UnsafePointer<Int>, into transposed: UnsafeMutablePointer<Float>) {
        let lanes = Self.imagesPerLaneGroup, outputRowWidth = laneOutputRowWidth, outputCount = outChannels * outputPlane
        for outputRow in 0..<outputHeight {
            zeroRun(transposed + outputRow * outputRowWidth * outChannels * lanes, count: outChannels * lanes)
            zeroRun(transposed + ((outputRow + 1) * outputRowWidth - 1) * outChannels * lanes, count: outChannels * lanes)
        }
        for start in Swift.stride(from: 0, to: outputCount, by: 16) {
            let count = min(16, outputCount - start)
            transposeSquare { image in
                let source = outputGradients + image * stride + start
                return count == 16 ? loadVector(source) : loadChunk(source, count: count)
            } transposedRow: { index, values in
                if index < count { storeVector(values, transposed + destinations[start + index] * lanes) }
            }
        }
    }

    /// dX of input row `inputRow` in lanes, `row` [C, W, 16 images], from the transposed dY.
    private func accumulateRow(_ inputRow: Int, terms: LaneGroupTerms, transposed: UnsafePointer<Float>,
                               into row: UnsafeMutablePointer<Float>) {
        let lanes = Self.imagesPerLaneGroup, block = Self.inputGradientChannels, outChannels = terms.outChannels
        let kernelRows = Self.kernelOffsets(reading: inputRow, padding: window.paddingHeight, dilation: window.dilationHeight,
                                            kernel: window.kernelHeight, outputs: 0..<outputHeight)
        // Input position (inputRow, 0) in the transposed dY, in vectors.
        let rowOrigin = ((inputRow + window.paddingHeight) * laneOutputRowWidth + window.paddingWidth + 1) * outChannels
        for firstChannel in stride(from: 0, to: window.channels, by: block) {
            let channelCount = min(block, window.channels - firstChannel)
            for column in stride(from: 0, to: window.width, by: 2) {
                var sums = SixChannelPairSums()
                terms.accumulate(into: &sums, kernelRows: kernelRows, pair: column / 2, firstChannel: firstChannel,
                                 origin: transposed + (rowOrigin + column * outChannels) * lanes)
                sums.storeColumns(into: row + (firstChannel * laneRowWidth + column) * lanes, channelStride: laneRowWidth * lanes,
                                  channelCount: channelCount)
            }
        }
    }

    /// `row` [C, W, 16 images] → dX_i [C, inputRow, W], 16 columns of the 16 images per transpose.
    /// Whole vectors where the 16 columns stay before row `endRow` of the channel: the columns past
    /// the row land in rows this part writes later.
    private func storeRow(_ row: UnsafePointer<Float>, inputRow: Int, before endRow: Int,
                          into inputGradients: UnsafeMutablePointer<Float>, stride: Int) {
        let lanes = Self.imagesPerLaneGroup, height = window.height, width = window.width
        for channel in 0..<window.channels {
            let channelRow = row + channel * laneRowWidth * lanes
            let destination = inputGradients + (channel * height + inputRow) * width
            for start in Swift.stride(from: 0, to: width, by: 16) {
                let count = min(16, width - start), isWhole = inputRow * width + start + 16 <= endRow * width
                transposeSquare { column in
                    loadVector(channelRow + (start + column) * lanes)
                } transposedRow: { image, values in
                    let target = destination + image * stride + start
                    if isWhole { storeVector(values, target) } else { storeChunk(values, target, count: count) }
                }
            }
        }
    }
}

/// The terms of `inputGradientAcrossImages`, numbered (kr, kc, oc): for each term its dY offset
/// (`outputOffsets`, in vectors), for each column pair its kernel columns (`pairKernels`: first,
/// end), and the regrouped weights ([C / 6, `count` terms, 6]).
private struct LaneGroupTerms {
    let outputOffsets: UnsafePointer<Int>, pairKernels: UnsafePointer<Int>, weights: UnsafePointer<Float>
    let kernelWidth: Int, outChannels: Int, count: Int

    /// Adds to `sums` the terms of input channels firstChannel..<firstChannel + 6 at column pair
    /// `pair`, whose first position lies at `origin` in the transposed dY: the kernel rows
    /// `kernelRows` of its row, the pair's kernel columns. Each kernel row's terms are consecutive.
    @inline(__always)
    func accumulate(into sums: inout SixChannelPairSums, kernelRows: Range<Int>, pair: Int, firstChannel: Int,
                    origin: UnsafePointer<Float>) {
        let firstKernelColumn = pairKernels[2 * pair], endKernelColumn = pairKernels[2 * pair + 1]
        guard firstKernelColumn < endKernelColumn else { return }
        let channelWeights = weights + firstChannel * count
        for kernelRow in kernelRows {
            let rowStart = kernelRow * kernelWidth
            sums.accumulate(terms: (rowStart + firstKernelColumn) * outChannels..<(rowStart + endKernelColumn) * outChannels,
                            base: origin, offsets: outputOffsets, offsetScale: DirectConvolution.imagesPerLaneGroup,
                            secondDistance: outChannels * DirectConvolution.imagesPerLaneGroup, weights: channelWeights)
        }
    }
}
