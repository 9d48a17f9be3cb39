/// Unfolds one C×H×W image into a (C·KH·KW) × (OH·OW) column matrix, zero where the window
/// reads padding, so that convolution becomes one SGEMM: weight (OC × C·KH·KW) · columns.
///
/// Works by runs: for each column-matrix row (channel, kernel row, kernel column) and output row,
/// the output columns that read the image form one range, copied in one pass (a contiguous copy
/// when the stride is 1); only the padding around it is zero-filled.
public func im2col(_ window: Window2d, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
    let outputWidth = window.outputWidth, stride = window.strideWidth
    forEachImageRun(window) { columnRow, imageRow, firstColumn, run in
        let destination = columns + columnRow
        guard let imageRow, !run.isEmpty else { return destination.update(repeating: 0, count: outputWidth) }
        let source = imageRow + firstColumn
        destination.update(repeating: 0, count: run.lowerBound)
        if stride == 1 {
            (destination + run.lowerBound).update(from: image + source + run.lowerBound, count: run.count)
        } else {
            for outputColumn in run { destination[outputColumn] = image[source + outputColumn * stride] }
        }
        (destination + run.upperBound).update(repeating: 0, count: outputWidth - run.upperBound)
    }
}

/// The adjoint of `im2col`: adds each column entry back into the C×H×W image position it was
/// read from (entries that read padding are dropped). `image` is accumulated into, not cleared.
public func col2im(_ window: Window2d, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
    let stride = window.strideWidth
    forEachImageRun(window) { columnRow, imageRow, firstColumn, run in
        guard let imageRow else { return }
        let source = columns + columnRow, destination = imageRow + firstColumn
        if stride == 1 {
            for outputColumn in run { image[destination + outputColumn] += source[outputColumn] }
        } else {
            for outputColumn in run { image[destination + outputColumn * stride] += source[outputColumn] }
        }
    }
}

/// Visits every output row of every column-matrix row (channel, kernel row, kernel column) with:
/// the offset of that output row in the column matrix; the offset in the image of the input row it
/// reads, or nil when that row is padding; the signed offset of output column 0's input column
/// within that row (negative in left padding); and the output columns whose input column is inside.
@inline(__always)
private func forEachImageRun(
    _ window: Window2d,
    _ body: (_ columnRow: Int, _ imageRow: Int?, _ firstColumn: Int, _ run: Range<Int>) -> Void
) {
    let outputHeight = window.outputHeight, outputWidth = window.outputWidth
    var columnRow = 0
    for channel in 0..<window.channels {
        let plane = channel * window.height * window.width
        for kernelRow in 0..<window.kernelHeight {
            let topRow = kernelRow * window.dilationHeight - window.paddingHeight
            let insideRows = inBoundsRange(start: topRow, step: window.strideHeight, count: outputHeight,
                                           limit: window.height)
            for kernelColumn in 0..<window.kernelWidth {
                let firstColumn = kernelColumn * window.dilationWidth - window.paddingWidth
                let run = inBoundsRange(start: firstColumn, step: window.strideWidth, count: outputWidth,
                                        limit: window.width)
                for outputRow in 0..<outputHeight {
                    let imageRow = insideRows.contains(outputRow)
                        ? plane + (topRow + outputRow * window.strideHeight) * window.width : nil
                    body(columnRow, imageRow, firstColumn, run)
                    columnRow += outputWidth
                }
            }
        }
    }
}

/// The indices i in 0..<count for which 0 ≤ start + i·step < limit (step > 0): the output
/// positions (or kernel taps) of a sliding window that land inside an input of `limit` elements.
@inline(__always)
func inBoundsRange(start: Int, step: Int, count: Int, limit: Int) -> Range<Int> {
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
