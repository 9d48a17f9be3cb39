/// Twelve accumulators of the stride-1 input gradient kernels: six input channels × a pair of
/// vectors (two input rows of 16 columns in `inputGradientAlongRows`, two input columns of 16
/// images in `inputGradientAcrossImages`).
struct SixChannelPairSums {
    var s00 = SIMD16<Float>(), s01 = SIMD16<Float>(), s10 = SIMD16<Float>(), s11 = SIMD16<Float>()
    var s20 = SIMD16<Float>(), s21 = SIMD16<Float>(), s30 = SIMD16<Float>(), s31 = SIMD16<Float>()
    var s40 = SIMD16<Float>(), s41 = SIMD16<Float>(), s50 = SIMD16<Float>(), s51 = SIMD16<Float>()

    /// For each term t in `terms` (not empty): adds weights[6t + r] · (the 16 floats at base +
    /// offsets[t] · Scale.value) to channel r's first vector, and the same with the 16 floats
    /// `secondDistance` further to its second. One flat loop: nested loops make the compiler copy all
    /// twelve accumulators between registers every iteration.
    @inline(__always)
    mutating func accumulate(terms: Range<Int>, base: UnsafePointer<Float>, offsets: UnsafePointer<Int>, offsetScale: Int,
                             secondDistance: Int, weights: UnsafePointer<Float>) {
        var term = terms.lowerBound
        repeat {
            let first = base + offsets[term] * offsetScale, weight = weights + 6 * term
            let x = loadVector(first), y = loadVector(first + secondDistance)
            let w0 = weight[0], w1 = weight[1], w2 = weight[2], w3 = weight[3], w4 = weight[4], w5 = weight[5]
            s00.addProduct(w0, x); s01.addProduct(w0, y); s10.addProduct(w1, x); s11.addProduct(w1, y)
            s20.addProduct(w2, x); s21.addProduct(w2, y); s30.addProduct(w3, x); s31.addProduct(w3, y)
            s40.addProduct(w4, x); s41.addProduct(w4, y); s50.addProduct(w5, x); s51.addProduct(w5, y)
            term += 1
        } while term < terms.upperBound
    }

    /// Stores the first `columnCount` lanes of channel r's first vector at `destination +
    /// r·channelStride` and of its second `rowStride` further (if `rowCount` is 2), for r < channelCount.
    @inline(__always)
    func storeRows(into destination: UnsafeMutablePointer<Float>, rowStride: Int, channelStride: Int,
                   rowCount: Int, channelCount: Int, columnCount: Int) {
        func store(_ channel: Int, _ first: SIMD16<Float>, _ second: SIMD16<Float>) {
            guard channel < channelCount else { return }
            storeChunk(first, destination + channel * channelStride, count: columnCount)
            if rowCount > 1 { storeChunk(second, destination + channel * channelStride + rowStride, count: columnCount) }
        }
        store(0, s00, s01); store(1, s10, s11); store(2, s20, s21); store(3, s30, s31); store(4, s40, s41); store(5, s50, s51)
    }

    /// Stores channel r's two vectors at `destination + r·channelStride`, 16 floats apart, for r < channelCount.
    @inline(__always)
    func storeColumns(into destination: UnsafeMutablePointer<Float>, channelStride: Int, channelCount: Int) {
        func store(_ channel: Int, _ first: SIMD16<Float>, _ second: SIMD16<Float>) {
            guard channel < channelCount else { return }
            storeVector(first, destination + channel * channelStride)
            storeVector(second, destination + channel * channelStride + 16)
        }
        store(0, s00, s01); store(1, s10, s11); store(2, s20, s21); store(3, s30, s31); store(4, s40, s41); store(5, s50, s51)
    }
}
