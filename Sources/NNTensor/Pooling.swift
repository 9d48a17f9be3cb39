/// Max pooling of one C×H×W image to C×OH×OW. `indices` receives, per output, the flat index
/// (y·W + x) within its input plane of the maximum, as PyTorch's `return_indices`; padding is −∞.
/// A NaN in a window wins (the last one, as in PyTorch's CPU kernel); among equal maxima the first.
///
/// Each window's in-image taps are computed once per window, so the inner loops carry no bounds
/// tests. With a column stride of 1 or 2, eight (or, in narrow rows, four) outputs of a row whose
/// windows lie inside the image are compared at once (SIMD selects: data-dependent branches would
/// mispredict on real data); a group whose taps hold a NaN or an infinity is redone one output at
/// a time, which keeps PyTorch's NaN rule out of the vector code. The 2×2 window with stride 2
/// (LeNet's) has its own kernel, `maxPool2x2` (MaxPoolTwoByTwo.swift).
public func maxPool2d(_ window: Window2d, image: UnsafePointer<Float>,
                      output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>) {
    maxPool2d(window, image: image, output: output, indices: indices, reading: UnchangedTaps.self)
}

/// `maxPool2d` of ReLU(image) (0 if x < 0, else x, as `applyActivation(.relu)`), without storing
/// ReLU's output: the same values and indices as the two layers one after the other. Its gradient
/// is `reluMaxPool2dInputGradient`.
public func reluMaxPool2d(_ window: Window2d, image: UnsafePointer<Float>,
                          output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>) {
    maxPool2d(window, image: image, output: output, indices: indices, reading: RectifiedTaps.self)
}

/// How a max pool reads its taps: as they are, or through ReLU.
protocol TapReading {
    static func read(_ value: Float) -> Float
    static func read(_ values: SIMD8<Float>) -> SIMD8<Float>
    static func read(_ values: SIMD16<Float>) -> SIMD16<Float>
}

private enum UnchangedTaps: TapReading {
    @inline(__always) static func read(_ value: Float) -> Float { value }
    @inline(__always) static func read(_ values: SIMD8<Float>) -> SIMD8<Float> { values }
    @inline(__always) static func read(_ values: SIMD16<Float>) -> SIMD16<Float> { values }
}

private enum RectifiedTaps: TapReading {
    @inline(__always) static func read(_ value: Float) -> Float { value < 0 ? 0 : value }
    @inline(__always) static func read(_ values: SIMD8<Float>) -> SIMD8<Float> { values.replacing(with: 0, where: values .< 0) }
    @inline(__always) static func read(_ values: SIMD16<Float>) -> SIMD16<Float> { values.replacing(with: 0, where: values .< 0) }
}

/// `maxPool2d` with its taps read through `Taps`.
private func maxPool2d<Taps: TapReading>(_ window: Window2d, image: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                                         indices: UnsafeMutablePointer<Int32>, reading: Taps.Type) {
    if maxPool2x2(window, image: image, output: output, indices: indices, reading: Taps.self) { return }
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth, width = window.width
    let dilationHeight = window.dilationHeight, dilationWidth = window.dilationWidth
    let columnStride = window.strideWidth, kernelWidth = window.kernelWidth
    // Output columns whose taps all lie inside the image, the last SIMD load included.
    let insideColumns = columnStride <= 2
        ? inBoundsRange(start: -window.paddingWidth, step: columnStride, count: outputWidth,
                        limit: width - (kernelWidth - 1) * dilationWidth - (columnStride - 1))
        : 0..<0
    let eightLaneOffsets = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &* Int32(columnStride)
    for channel in 0..<window.channels {
        let plane = image + channel * window.height * width
        for outputRow in 0..<outputHeight {
            let top = outputRow * window.strideHeight - window.paddingHeight
            let taps = inBoundsRange(start: top, step: dilationHeight, count: window.kernelHeight, limit: window.height)
            let rowOutput = (channel * outputHeight + outputRow) * outputWidth
            func poolOne(_ outputColumn: Int) {
                let left = outputColumn * columnStride - window.paddingWidth
                let columnTaps = inBoundsRange(start: left, step: dilationWidth, count: kernelWidth, limit: width)
                var best = -Float.infinity, bestIndex = -1
                if !taps.isEmpty && !columnTaps.isEmpty {
                    bestIndex = (top + taps.lowerBound * dilationHeight) * width + left + columnTaps.lowerBound * dilationWidth
                }
                for kernelRow in taps {
                    let rowIndex = (top + kernelRow * dilationHeight) * width + left
                    for kernelColumn in columnTaps {
                        let index = rowIndex + kernelColumn * dilationWidth
                        let value = Taps.read(plane[index])
                        if value > best || value.isNaN { best = value; bestIndex = index }
                    }
                }
                output[rowOutput + outputColumn] = best
                indices[rowOutput + outputColumn] = Int32(bestIndex)
            }
            /// Outputs outputColumn ..< outputColumn + lanes (8, or 4 in the low half of the vectors).
            func poolLanes(_ outputColumn: Int, lanes: Int) {
                let left = outputColumn * columnStride - window.paddingWidth
                let laneOffsets = lanes == 8 ? eightLaneOffsets
                    : SIMD8(lowHalf: eightLaneOffsets.lowHalf, highHalf: eightLaneOffsets.lowHalf)
                var maxima = LaneMaxima(firstIndex: (top + taps.lowerBound * dilationHeight) * width + left,
                                        laneOffsets: laneOffsets)
                for kernelRow in taps {
                    let rowIndex = (top + kernelRow * dilationHeight) * width + left
                    for kernelColumn in 0..<kernelWidth {
                        let index = rowIndex + kernelColumn * dilationWidth
                        let source = UnsafeRawPointer(plane + index)
                        let values: SIMD8<Float>
                        if lanes == 8 {
                            values = columnStride == 1 ? source.loadUnaligned(as: SIMD8<Float>.self)
                                : source.loadUnaligned(as: SIMD16<Float>.self).evenHalf
                        } else {
                            let four = columnStride == 1 ? source.loadUnaligned(as: SIMD4<Float>.self)
                                : source.loadUnaligned(as: SIMD8<Float>.self).evenHalf
                            values = SIMD8(lowHalf: four, highHalf: four)
                        }
                        maxima.consider(Taps.read(values), at: index)
                    }
                }
                if maxima.isExact {
                    maxima.store(lanes: lanes, output: output + rowOutput + outputColumn, indices: indices + rowOutput + outputColumn)
                } else {
                    for lane in 0..<lanes { poolOne(outputColumn + lane) }
                }
            }
            let lanes = taps.isEmpty || insideColumns.count < 4 ? 0 : insideColumns.count < 8 ? 4 : 8
            let vectorColumns = lanes == 0 ? outputWidth..<outputWidth : insideColumns
            for outputColumn in 0..<vectorColumns.lowerBound { poolOne(outputColumn) }
            // The last group of lanes may overlap the one before: it writes the same values again.
            for outputColumn in stride(from: vectorColumns.lowerBound, to: vectorColumns.upperBound, by: max(lanes, 1)) {
                poolLanes(min(outputColumn, vectorColumns.upperBound - lanes), lanes: lanes)
            }
            for outputColumn in vectorColumns.upperBound..<outputWidth { poolOne(outputColumn) }
        }
    }
}

/// The running maxima of eight adjacent max-pool outputs (or four, in the low half) and the input
/// index of each: lane i's tap at a window offset sits at that offset's index + `laneOffsets[i]`.
/// Only finite values are compared (a strict > keeps the first of equal maxima): `isExact` is false
/// when a tap was NaN or infinite, and the caller then pools those outputs one at a time. Winners are
/// kept as offsets from the first tap, which compiles to plain vector selects.
private struct LaneMaxima {
    var best = SIMD8<Float>(repeating: -.infinity)
    /// The winning tap's index − `firstIndex`, per lane.
    var bestOffset = SIMD8<Int32>()
    /// x − x summed over the taps: NaN in a lane that saw a NaN or an infinity.
    var probe = SIMD8<Float>()
    let firstIndex: Int
    let laneOffsets: SIMD8<Int32>

    init(firstIndex: Int, laneOffsets: SIMD8<Int32>) {
        self.firstIndex = firstIndex
        self.laneOffsets = laneOffsets
    }

    /// Takes each lane's tap (`values`, read at `index` + the lane's offset) where it beats the
    /// maximum so far.
    @inline(__always) mutating func consider(_ values: SIMD8<Float>, at index: Int) {
        let wins = values .> best
        best.replace(with: values, where: wins)
        bestOffset.replace(with: SIMD8(repeating: Int32(index - firstIndex)), where: wins)
        probe += values - values
    }

    /// Whether every tap was finite, so that the maxima follow PyTorch's rule.
    @inline(__always) var isExact: Bool { !any(probe .!= probe) }

    /// Writes the `lanes` (8 or 4) maxima and their indices.
    @inline(__always) func store(lanes: Int, output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>) {
        let bestIndex = bestOffset &+ SIMD8(repeating: Int32(firstIndex)) &+ laneOffsets
        if lanes == 8 {
            storeUnaligned(best, output)
            storeUnaligned(bestIndex, indices)
        } else {
            storeUnaligned(best.lowHalf, output)
            storeUnaligned(bestIndex.lowHalf, indices)
        }
    }
}

/// The naive `maxPool2d`, bounds-testing every kernel tap, that the fast one is tested against.
public func maxPool2dReference(_ window: Window2d, image: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    for channel in 0..<window.channels {
        let plane = image + channel * window.height * window.width
        let outputPlane = channel * outputHeight * outputWidth
        for outputRow in 0..<outputHeight {
            for outputColumn in 0..<outputWidth {
                var best = -Float.infinity, bestIndex = -1
                for kernelRow in 0..<window.kernelHeight {
                    let y = outputRow * window.strideHeight - window.paddingHeight + kernelRow * window.dilationHeight
                    guard y >= 0 && y < window.height else { continue }
                    for kernelColumn in 0..<window.kernelWidth {
                        let x = outputColumn * window.strideWidth - window.paddingWidth + kernelColumn * window.dilationWidth
                        guard x >= 0 && x < window.width else { continue }
                        let value = plane[y * window.width + x]
                        if value > best || value.isNaN || bestIndex < 0 {
                            best = value; bestIndex = y * window.width + x
                        }
                    }
                }
                output[outputPlane + outputRow * outputWidth + outputColumn] = best
                indices[outputPlane + outputRow * outputWidth + outputColumn] = Int32(bestIndex)
            }
        }
    }
}

/// The gradient of `maxPool2d`: routes each output gradient to the input position that won.
/// `inputGradient` (C×H×W) is accumulated into, not cleared. One pass over the outputs: the
/// reference that `maxPool2dInputGradient` (and the fused ReLU variant) are tested against.
public func maxPool2dBackward(_ window: Window2d, outputGradient: UnsafePointer<Float>,
                              indices: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Float>) {
    let planeOut = window.outputHeight * window.outputWidth, planeIn = window.height * window.width
    for channel in 0..<window.channels {
        for position in 0..<planeOut {
            let index = Int(indices[channel * planeOut + position])
            inputGradient[channel * planeIn + index] += outputGradient[channel * planeOut + position]
        }
    }
}

/// The gradient of `maxPool2d`, written into `inputGradient` (C×H×W), which need not be
/// initialised: each output gradient at the input position that won its window (summed where
/// windows overlap), 0 elsewhere. `maxPool2dBackward` into a zero-filled gradient is its reference.
///
/// When 2×2 windows with stride 2 tile the image exactly (LeNet's pooling), every input element is
/// written once, with no zero-fill pass (`maxPool2x2InputGradient`, MaxPoolTwoByTwo.swift).
public func maxPool2dInputGradient(_ window: Window2d, outputGradient: UnsafePointer<Float>,
                                   indices: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Float>) {
    maxPool2dInputGradient(window, outputGradient: outputGradient, gate: nil, indices: indices, inputGradient: inputGradient)
}

/// The gradient of `reluMaxPool2d` (of ReLU then max pool), written into `inputGradient` as
/// `maxPool2dInputGradient` writes it: each window's winner receives the output gradient where the
/// pooled `output` is not ≤ 0 (ReLU's gradient, a select: PyTorch's `threshold_backward` on ReLU's
/// output, which passes the gradient of a NaN), every other element 0. The same bits as max pool's
/// gradient followed by ReLU's.
public func reluMaxPool2dInputGradient(_ window: Window2d, outputGradient: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                       indices: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Float>) {
    maxPool2dInputGradient(window, outputGradient: outputGradient, gate: output, indices: indices, inputGradient: inputGradient)
}

/// `maxPool2dInputGradient` (`gate` nil) or `reluMaxPool2dInputGradient` (`gate` the pooled output):
/// each output gradient dropped where `gate`, when given, is ≤ 0. Other windows than tiling 2×2 ones
/// zero-fill the image, then add each routed gradient.
public func maxPool2dInputGradient(_ window: Window2d, outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>?,
                                    indices: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Float>) {
    if maxPool2x2InputGradient(window, outputGradient: outputGradient, gate: gate, indices: indices,
                               inputGradient: inputGradient) { return }
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    let planeOut = outputHeight * outputWidth, planeIn = window.height * window.width
    inputGradient.update(repeating: 0, count: window.channels * planeIn)
    for position in 0..<(window.channels * planeOut) {
        var gradient = outputGradient[position]
        if let gate, gate[position] <= 0 { gradient = 0 }
        inputGradient[position / planeOut * planeIn + Int(indices[position])] += gradient
    }
}

/// Average pooling of one C×H×W image. With `countIncludePad` (PyTorch's default) the divisor is
/// the window's size clipped to the padded input; otherwise the number of real input elements.
/// Each window is visited as its clipped row and column ranges, with no per-tap bounds tests.
/// (Average pooling has no dilation: the window's dilation is ignored, as `nn.AvgPool2d` has none.)
public func avgPool2d(_ window: Window2d, countIncludePad: Bool, image: UnsafePointer<Float>,
                      output: UnsafeMutablePointer<Float>) {
    forEachAveragingWindow(window, countIncludePad: countIncludePad) { channel, outputOffset, rows, columns, divisor in
        let plane = image + channel * window.height * window.width
        var sum: Float = 0
        for y in rows { for x in columns { sum += plane[y * window.width + x] } }
        output[outputOffset] = sum / divisor
    }
}

/// The gradient of `avgPool2d`; `inputGradient` (C×H×W) is accumulated into, not cleared.
public func avgPool2dBackward(_ window: Window2d, countIncludePad: Bool, outputGradient: UnsafePointer<Float>,
                              inputGradient: UnsafeMutablePointer<Float>) {
    forEachAveragingWindow(window, countIncludePad: countIncludePad) { channel, outputOffset, rows, columns, divisor in
        let plane = inputGradient + channel * window.height * window.width
        let share = outputGradient[outputOffset] / divisor
        for y in rows { for x in columns { plane[y * window.width + x] += share } }
    }
}

/// Visits every output of an average pool: its channel, its offset in C×OH×OW, the input rows and
/// columns it covers (clipped to the image) and its divisor, following PyTorch's `avg_pool2d`.
private func forEachAveragingWindow(
    _ window: Window2d, countIncludePad: Bool,
    _ body: (_ channel: Int, _ outputOffset: Int, _ rows: Range<Int>, _ columns: Range<Int>, _ divisor: Float) -> Void
) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    for channel in 0..<window.channels {
        for outputRow in 0..<outputHeight {
            var rowStart = outputRow * window.strideHeight - window.paddingHeight
            var rowEnd = min(rowStart + window.kernelHeight, window.height + window.paddingHeight)
            let paddedRows = rowEnd - rowStart
            rowStart = max(rowStart, 0); rowEnd = min(rowEnd, window.height)
            for outputColumn in 0..<outputWidth {
                var columnStart = outputColumn * window.strideWidth - window.paddingWidth
                var columnEnd = min(columnStart + window.kernelWidth, window.width + window.paddingWidth)
                let paddedColumns = columnEnd - columnStart
                columnStart = max(columnStart, 0); columnEnd = min(columnEnd, window.width)
                let divisor = countIncludePad
                    ? paddedRows * paddedColumns
                    : (rowEnd - rowStart) * (columnEnd - columnStart)
                body(channel, (channel * outputHeight + outputRow) * outputWidth + outputColumn,
                     rowStart..<rowEnd, columnStart..<columnEnd, Float(divisor))
            }
        }
    }
}

/// The naive `avgPool2d` the fast one is tested against: tests every kernel tap, and counts the
/// divisor tap by tap (taps inside the padded input, or inside the image).
public func avgPool2dReference(_ window: Window2d, countIncludePad: Bool, image: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    for channel in 0..<window.channels {
        let plane = image + channel * window.height * window.width
        for outputRow in 0..<outputHeight {
            for outputColumn in 0..<outputWidth {
                var sum: Float = 0, insideImage = 0, insidePadding = 0
                for kernelRow in 0..<window.kernelHeight {
                    let y = outputRow * window.strideHeight - window.paddingHeight + kernelRow
                    for kernelColumn in 0..<window.kernelWidth {
                        let x = outputColumn * window.strideWidth - window.paddingWidth + kernelColumn
                        if y < window.height + window.paddingHeight && x < window.width + window.paddingWidth {
                            insidePadding += 1
                        }
                        if y >= 0 && y < window.height && x >= 0 && x < window.width {
                            sum += plane[y * window.width + x]; insideImage += 1
                        }
                    }
                }
                output[(channel * outputHeight + outputRow) * outputWidth + outputColumn] =
                    sum / Float(countIncludePad ? insidePadding : insideImage)
            }
        }
    }
}
