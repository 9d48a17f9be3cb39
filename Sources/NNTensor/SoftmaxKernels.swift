import Foundation

// Softmax over one axis of a tensor viewed as [outer, size, inner] (row-major): element (o, i, j)
// at (o · size + i) · inner + j, a line (o, j) the elements i = 0..<size. The exponentials run 16
// at a time (`VectorExp`, the C library's bits) and every sum over a line runs in order of i, so
// each value is what a scalar loop over the line gives: 16 elements of one line at a time when
// inner is 1, else 16 lines (j) side by side.

/// Softmax (or log-softmax) over the axis: output[o, i, j] = exp(x[o,i,j] − m) / Σᵢ exp(x[o,i,j] − m),
/// m the maximum over i (so large inputs do not overflow). Split over the worker pool by `outer`
/// when large; the split does not change a value. `output` may be `input` (in place).
public func softmax(outer: Int, size: Int, inner: Int, logarithm: Bool,
                    input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    let pool = WorkerPool.shared
    pool.forEachBlock(of: 0..<outer, parts: pool.balancedParts(for: outer, elements: outer * size * inner),
                      context: (size, inner, logarithm, input, output)) { context, _, rows in
        let (size, inner, logarithm, input, output) = context
        for o in rows {
            let x = input + o * size * inner, y = output + o * size * inner
            if inner == 1 {
                softmaxAlongLine(size: size, logarithm: logarithm, x, y)
            } else {
                forEachChunkOf16(inner) { j, lanes in
                    softmaxAcrossLines(size: size, stride: inner, lanes: lanes, logarithm: logarithm, x + j, y + j)
                }
            }
        }
    }
}

/// The gradient of `softmax`, accumulated into `inputGradient`, from the forward `output` y and
/// the output gradient g: softmax dx = y · (g − Σᵢ g·y); log-softmax dx = g − eʸ · Σᵢ g. Split
/// over the worker pool by `outer` when large, as `softmax`.
public func softmaxBackward(outer: Int, size: Int, inner: Int, logarithm: Bool,
                            output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                            inputGradient: UnsafeMutablePointer<Float>) {
    let pool = WorkerPool.shared
    pool.forEachBlock(of: 0..<outer, parts: pool.balancedParts(for: outer, elements: outer * size * inner),
                      context: (size, inner, logarithm, output, outputGradient, inputGradient)) { context, _, rows in
        let (size, inner, logarithm, output, outputGradient, inputGradient) = context
        for o in rows {
            let base = o * size * inner
            let (y, g, dx) = (output + base, outputGradient + base, inputGradient + base)
            if logarithm && inner == 1 {
                logSoftmaxGradientAlongLine(size: size, y, g, dx)
            } else if logarithm {
                forEachChunkOf16(inner) { j, lanes in
                    logSoftmaxGradientAcrossLines(size: size, stride: inner, lanes: lanes, y + j, g + j, dx + j)
                }
            } else {
                for j in 0..<inner {
                    var total: Float = 0
                    for i in 0..<size { total += g[i * inner + j] * y[i * inner + j] }
                    for i in 0..<size { dx[i * inner + j] += y[i * inner + j] * (g[i * inner + j] - total) }
                }
            }
        }
    }
}

/// Softmax of x[0..<size] into y[0..<size].
@inline(__always)
private func softmaxAlongLine(size: Int, logarithm: Bool, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    var maximum = -Float.infinity
    for i in 0..<size { maximum = max(maximum, x[i]) }
    var total: Float = 0
    forEachChunkOf16(size) { start, lanes in
        let shifted = loadLanes(x + start, lanes) - maximum
        storeLanes(shifted, y + start, lanes)
        let exponentials = VectorExp.exp(shifted)
        for lane in 0..<lanes { total += exponentials[lane] }
    }
    if logarithm {
        let logTotal = log(total)
        for i in 0..<size { y[i] -= logTotal }
    } else {
        let inverse = 1 / total
        forEachChunkOf16(size) { start, lanes in
            storeLanes(VectorExp.exp(loadLanes(y + start, lanes)) * inverse, y + start, lanes)
        }
    }
}

/// Softmax of `lanes` (1…16) lines side by side, line l being x[l], x[l + stride], …,
/// x[l + (size − 1) · stride], into the same places of y.
@inline(__always)
private func softmaxAcrossLines(size: Int, stride: Int, lanes: Int, logarithm: Bool,
                                _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    var maximum = SIMD16<Float>(repeating: -.infinity)
    for i in 0..<size {
        let value = loadLanes(x + i * stride, lanes)
        maximum.replace(with: value, where: value .>= maximum)  // `max(maximum, value)` lane by lane
    }
    var total = SIMD16<Float>()
    for i in 0..<size {
        let shifted = loadLanes(x + i * stride, lanes) - maximum
        storeLanes(shifted, y + i * stride, lanes)
        total += VectorExp.exp(shifted)
    }
    if logarithm {
        var logTotal = SIMD16<Float>()
        for lane in 0..<lanes { logTotal[lane] = log(total[lane]) }
        for i in 0..<size { storeLanes(loadLanes(y + i * stride, lanes) - logTotal, y + i * stride, lanes) }
    } else {
        let inverse = 1 / total
        for i in 0..<size { storeLanes(VectorExp.exp(loadLanes(y + i * stride, lanes)) * inverse, y + i * stride, lanes) }
    }
}

/// dx[i] += g[i] − e^y[i] · Σ g over one line of `size` elements.
@inline(__always)
private func logSoftmaxGradientAlongLine(size: Int, _ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>,
                                         _ dx: UnsafeMutablePointer<Float>) {
    var total: Float = 0
    for i in 0..<size { total += g[i] }
    forEachChunkOf16(size) { start, lanes in
        let terms = loadLanes(g + start, lanes) - VectorExp.exp(loadLanes(y + start, lanes)) * total
        storeLanes(loadLanes(dx + start, lanes) + terms, dx + start, lanes)
    }
}

/// `logSoftmaxGradientAlongLine` for `lanes` (1…16) lines side by side, as `softmaxAcrossLines`.
@inline(__always)
private func logSoftmaxGradientAcrossLines(size: Int, stride: Int, lanes: Int, _ y: UnsafePointer<Float>,
                                           _ g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>) {
    var total = SIMD16<Float>()
    for i in 0..<size { total += loadLanes(g + i * stride, lanes) }
    for i in 0..<size {
        let terms = loadLanes(g + i * stride, lanes) - VectorExp.exp(loadLanes(y + i * stride, lanes)) * total
        storeLanes(loadLanes(dx + i * stride, lanes) + terms, dx + i * stride, lanes)
    }
}
