/// Unfolds one C×H×W image into a (C·KH·KW) × (OH·OW) column matrix, zero where the window
/// reads padding, so that convolution becomes one SGEMM: weight (OC × C·KH·KW) · columns.
public func im2col(_ window: Window2d, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
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

/// The adjoint of `im2col`: adds each column entry back into the C×H×W image position it was
/// read from (entries that read padding are dropped). `image` is accumulated into, not cleared.
public func col2im(_ window: Window2d, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
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
