/// Unfolds one C×H×W image into a (C·KH·KW) × (OH·OW) column matrix, zero where the window
/// reads padding, so that convolution becomes one SGEMM: weight (OC × C·KH·KW) · columns.
///
/// Works by runs: for each column-matrix row (channel, kernel row, kernel column) and output row,
/// the output columns that read the image form one range, copied in one pass (SIMD copies when
/// the stride is 1); only the padding around it is zero-filled. A dense window (stride 1, no
/// padding or dilation) skips the range arithmetic: every row is one whole copy.
public func im2col(_ window: Window2d, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth, stride = window.strideWidth
    if window.isDense {
        // Every tap reads inside the image: each column-matrix row is outputHeight plain row copies.
        var destination = columns
        for channel in 0..<window.channels {
            for kernelRow in 0..<window.kernelHeight {
                for kernelColumn in 0..<window.kernelWidth {
                    var source = image + (channel * window.height + kernelRow) * window.width + kernelColumn
                    for _ in 0..<outputHeight {
                        copyRun(from: source, to: destination, count: outputWidth)
                        source += window.width
                        destination += outputWidth
                    }
                }
            }
        }
        return
    }
    let imageEnd = image + window.channels * window.height * window.width
    let columnsEnd = columns + window.channels * window.kernelHeight * window.kernelWidth * outputHeight * outputWidth
    forEachKernelTap(window) { tap in
        let rows = tap.insideRows, run = tap.insideColumns, block = columns + tap.columnRow
        let insideRun = rows.isEmpty || run.isEmpty ? 0..<0 : rows
        zeroRun(block, count: insideRun.lowerBound * outputWidth)
        if stride == 1 && run.count == outputWidth {
            // No padding across: each output row is one copy.
            for outputRow in insideRun {
                copyRun(from: image + tap.imageOffset(outputRow: outputRow), to: block + outputRow * outputWidth,
                        count: outputWidth)
            }
            return zeroRun(block + insideRun.upperBound * outputWidth,
                           count: (outputHeight - insideRun.upperBound) * outputWidth)
        }
        for outputRow in insideRun {
            let destination = block + outputRow * outputWidth, source = tap.imageOffset(outputRow: outputRow)
            zeroRun(destination, count: run.lowerBound)
            if stride == 1 {
                copyRun(from: image + source + run.lowerBound, to: destination + run.lowerBound, count: run.count)
            } else if stride == 2 {
                copyEvenElements(from: image + source + 2 * run.lowerBound, readableEnd: imageEnd, to: destination + run.lowerBound,
                                 writableEnd: columnsEnd, count: run.count)
            } else {
                for outputColumn in run { destination[outputColumn] = image[source + outputColumn * stride] }
            }
            zeroRun(destination + run.upperBound, count: outputWidth - run.upperBound)
        }
        zeroRun(block + insideRun.upperBound * outputWidth, count: (outputHeight - insideRun.upperBound) * outputWidth)
    }
}

/// `im2col` with the image's channels split over the worker pool: each part unfolds its channels'
/// rows of the column matrix, which are the rows `im2col` writes for them.
public func im2colSplittingChannels(_ window: Window2d, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
    let pool = WorkerPool.shared
    pool.forEachBlock(of: 0..<window.channels, parts: pool.balancedParts(for: window.channels), context: (window, image, columns)) { context, _, channels in
        let (window, image, columns) = context
        let channelColumns = window.kernelHeight * window.kernelWidth * window.outputHeight * window.outputWidth
        im2col(window.withChannels(channels.count), image: image + channels.lowerBound * window.height * window.width,
               columns: columns + channels.lowerBound * channelColumns)
    }
}

/// destination[j] = source[2·j] for j in 0..<count: 16 at a time, the even lanes of two vector
/// loads, while those read before `readableEnd` and the 16 stores land before `writableEnd`; then one
/// by one. A last vector step may store up to 15 floats past `count`: `im2col` writes its rows in
/// order and zeroes each row's padding after its run, so they are overwritten.
@inline(__always)
private func copyEvenElements(from source: UnsafePointer<Float>, readableEnd: UnsafePointer<Float>,
                              to destination: UnsafeMutablePointer<Float>, writableEnd: UnsafeMutablePointer<Float>, count: Int) {
    var j = 0
    while j < count && source + 2 * j + 32 <= readableEnd && destination + j + 16 <= writableEnd {
        let first = loadVector(source + 2 * j), second = loadVector(source + 2 * j + 16)
        storeVector(SIMD16(lowHalf: first.evenHalf, highHalf: second.evenHalf), destination + j)
        j += 16
    }
    while j < count {
        destination[j] = source[2 * j]
        j += 1
    }
}

/// The adjoint of `im2col`: adds each column entry back into the C×H×W image position it was
/// read from (entries that read padding are dropped). `image` is accumulated into, not cleared.
public func col2im(_ window: Window2d, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
    let outputWidth = window.outputWidth, stride = window.strideWidth
    if window.isDense { return col2imDense(window, columns: columns, image: image) }
    forEachKernelTap(window) { tap in
        let run = tap.insideColumns
        guard !run.isEmpty else { return }
        for outputRow in tap.insideRows {
            let source = columns + tap.columnRow + outputRow * outputWidth
            let destination = tap.imageOffset(outputRow: outputRow)
            if stride == 1 {
                addRun(from: source + run.lowerBound, to: image + destination + run.lowerBound, count: run.count)
            } else {
                for outputColumn in run { image[destination + outputColumn * stride] += source[outputColumn] }
            }
        }
    }
}

/// `col2im` for a dense window, gathered rather than scattered: each 16-column chunk of an image
/// row is loaded into a register, the column entries of every tap that read it are added to it
/// (in the reference's order: by kernel row, then kernel column), and it is stored once. (Scattering adds each tap's run into the image row the previous tap has just
/// stored to, one column over, and every such load waits for the overlapping store.)
private func col2imDense(_ window: Window2d, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    let kernelHeight = window.kernelHeight, kernelWidth = window.kernelWidth, width = window.width
    let plane = outputHeight * outputWidth, columnCount = window.channels * kernelHeight * kernelWidth * plane
    let chunks = (width + 15) / 16
    // Lane l of chunk q, kernel column kc: image column 16q + l, read by output column 16q + l − kc
    // if that lies in 0..<OW. The masks are made once, lane by lane (SIMD comparisons compile to
    // lane-by-lane loops too).
    withUnsafeTemporaryAllocation(of: SIMD16<Int32>.self, capacity: chunks * kernelWidth) { masks in
        for chunk in 0..<chunks {
            for kernelColumn in 0..<kernelWidth {
                var mask = SIMD16<Int32>()
                for lane in 0..<16 where (0..<outputWidth).contains(16 * chunk + lane - kernelColumn) { mask[lane] = -1 }
                masks[chunk * kernelWidth + kernelColumn] = mask
            }
        }
        let imagePlane = window.height * width, channelColumns = kernelHeight * kernelWidth * plane
        /// The column entries at `start` (tap row, output row, shifted by the kernel column), masked.
        @inline(__always) func entries(at start: Int, mask: SIMD16<Int32>) -> SIMD16<Float> {
            var values = SIMD16<Float>()
            if start >= 0 && start + 16 <= columnCount {
                values = loadVector(columns + start)
            } else {
                for lane in 0..<16 where mask[lane] != 0 { values[lane] = columns[start + lane] }
            }
            return keeping(values, where: mask)
        }
        // Two channels at a time (an odd last one twice), for two independent chains of additions.
        for firstChannel in stride(from: 0, to: window.channels, by: 2) {
            let secondChannel = min(firstChannel + 1, window.channels - 1)
            let secondOffset = (secondChannel - firstChannel) * channelColumns
            for row in 0..<window.height {
                // Kernel row kr reads image row `row` from output row row − kr.
                let kernelRows = max(0, row - outputHeight + 1)..<min(kernelHeight, row + 1)
                for chunk in 0..<chunks {
                    let chunkStart = 16 * chunk, chunkWidth = min(16, width - chunkStart)
                    let first = image + firstChannel * imagePlane + row * width + chunkStart
                    let second = image + secondChannel * imagePlane + row * width + chunkStart
                    var firstSum = loadChunk(first, count: chunkWidth), secondSum = loadChunk(second, count: chunkWidth)
                    for kernelRow in kernelRows {
                        let tapRow = (firstChannel * kernelHeight + kernelRow) * kernelWidth
                        for kernelColumn in 0..<kernelWidth {
                            let mask = masks[chunk * kernelWidth + kernelColumn]
                            let start = (tapRow + kernelColumn) * plane + (row - kernelRow) * outputWidth + chunkStart - kernelColumn
                            firstSum += entries(at: start, mask: mask)
                            secondSum += entries(at: start + secondOffset, mask: mask)
                        }
                    }
                    storeChunk(firstSum, first, count: chunkWidth)
                    storeChunk(secondSum, second, count: chunkWidth)
                }
            }
        }
    }
}

/// The first `count` (at most 16) floats at `pointer`, zero beyond.
@inline(__always)
func loadChunk(_ pointer: UnsafePointer<Float>, count: Int) -> SIMD16<Float> {
    var chunk = SIMD16<Float>()
    withUnsafeMutableBytes(of: &chunk) { copyRun(from: pointer, to: $0.baseAddress!.assumingMemoryBound(to: Float.self), count: count) }
    return chunk
}

/// Stores the first `count` (at most 16) lanes of `chunk` at `pointer`.
@inline(__always)
func storeChunk(_ chunk: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>, count: Int) {
    withUnsafeBytes(of: chunk) { copyRun(from: $0.baseAddress!.assumingMemoryBound(to: Float.self), to: pointer, count: count) }
}

/// `values` with the lanes where `mask` is 0 zeroed (`mask` lanes are 0 or −1), as a bitwise and
/// (the standard library's `replacing(with:where:)` compiles to a lane-by-lane loop).
@inline(__always)
func keeping(_ values: SIMD16<Float>, where mask: SIMD16<Int32>) -> SIMD16<Float> {
    unsafeBitCast(unsafeBitCast(values, to: SIMD16<Int32>.self) & mask, to: SIMD16<Float>.self)
}

extension Window2d {
    /// Stride 1, no padding, no dilation: the plain sliding window, whose every tap is inside.
    var isDense: Bool {
        strideHeight == 1 && strideWidth == 1 && paddingHeight == 0 && paddingWidth == 0
            && dilationHeight == 1 && dilationWidth == 1
    }
}

/// What one column-matrix row (one channel, kernel row and kernel column) reads from the image.
private struct KernelTap {
    /// Offset of this row in the column matrix.
    let columnRow: Int
    /// Image offset read by output (0, 0) if the image extended into its padding (may be negative).
    let origin: Int
    /// Image offset between consecutive output rows.
    let rowStep: Int
    /// The output rows, and the output columns, whose input lies inside the image.
    let insideRows: Range<Int>, insideColumns: Range<Int>

    /// Image offset read by output column 0 of `outputRow` (inside columns start beyond it).
    @inline(__always) func imageOffset(outputRow: Int) -> Int { origin + outputRow * rowStep }
}

/// Calls `body` for every column-matrix row, in order.
@inline(__always)
private func forEachKernelTap(_ window: Window2d, _ body: (KernelTap) -> Void) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    var columnRow = 0
    for channel in 0..<window.channels {
        let plane = channel * window.height * window.width
        for kernelRow in 0..<window.kernelHeight {
            let topRow = kernelRow * window.dilationHeight - window.paddingHeight
            let insideRows = inBoundsRange(start: topRow, step: window.strideHeight, count: outputHeight,
                                           limit: window.height)
            for kernelColumn in 0..<window.kernelWidth {
                let leftColumn = kernelColumn * window.dilationWidth - window.paddingWidth
                let insideColumns = inBoundsRange(start: leftColumn, step: window.strideWidth, count: outputWidth,
                                                  limit: window.width)
                body(KernelTap(columnRow: columnRow, origin: plane + topRow * window.width + leftColumn,
                               rowStep: window.strideHeight * window.width,
                               insideRows: insideRows, insideColumns: insideColumns))
                columnRow += outputHeight * outputWidth
            }
        }
    }
}

/// The indices i in 0..<count for which 0 ≤ start + i·step < limit (step > 0): the output
/// positions (or kernel taps) of a sliding window that land inside an input of `limit` elements.
@inline(__always)
func inBoundsRange(start: Int, step: Int, count: Int, limit: Int) -> Range<Int> {
    if step == 1 {
        let lower = min(max(-start, 0), count)
        return lower..<max(lower, min(limit - start, count))
    }
    let first = start >= 0 ? 0 : (-start + step - 1) / step
    let end = start >= limit ? 0 : (limit - 1 - start) / step + 1
    let lower = min(first, count)
    return lower..<max(lower, min(end, count))
}

/// The naive per-element `im2col` the fast one is tested against.
public func im2colReference(_ window: Window2d, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    var row = 0
    for channel in 0..<window.channels {
        let plane = image + channel * window.height * window.width
        for kernelRow in 0..<window.kernelHeight {
            for kernelColumn in 0..<window.kernelWidth {
                let destination = columns + row * outputHeight * outputWidth
                for outputRow in 0..<outputHeight {
                    let y = outputRow * window.strideHeight - window.paddingHeight + kernelRow * window.dilationHeight
                    for outputColumn in 0..<outputWidth {
                        let x = outputColumn * window.strideWidth - window.paddingWidth + kernelColumn * window.dilationWidth
                        let inside = y >= 0 && y < window.height && x >= 0 && x < window.width
                        destination[outputRow * outputWidth + outputColumn] = inside ? plane[y * window.width + x] : 0
                    }
                }
                row += 1
            }
        }
    }
}

/// The naive per-element `col2im` the fast one is tested against.
public func col2imReference(_ window: Window2d, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    var row = 0
    for channel in 0..<window.channels {
        let plane = image + channel * window.height * window.width
        for kernelRow in 0..<window.kernelHeight {
            for kernelColumn in 0..<window.kernelWidth {
                let source = columns + row * outputHeight * outputWidth
                for outputRow in 0..<outputHeight {
                    let y = outputRow * window.strideHeight - window.paddingHeight + kernelRow * window.dilationHeight
                    guard y >= 0 && y < window.height else { continue }
                    for outputColumn in 0..<outputWidth {
                        let x = outputColumn * window.strideWidth - window.paddingWidth + kernelColumn * window.dilationWidth
                        if x >= 0 && x < window.width {
                            plane[y * window.width + x] += source[outputRow * outputWidth + outputColumn]
                        }
                    }
                }
                row += 1
            }
        }
    }
}
