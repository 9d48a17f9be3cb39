/// Copies, fills and sums over short runs of floats (an image row is often 10–30 floats): SIMD
/// steps inline, where a library call per run would cost more than the run itself.

/// destination[0..<count] = source[0..<count].
@inline(__always)
func copyRun(from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
    forEachRunStep(count) { offset, width in
        switch width {
        case 16: storeUnaligned(loadUnaligned(source + offset, as: SIMD16<Float>.self), destination + offset)
        case 8: storeUnaligned(loadUnaligned(source + offset, as: SIMD8<Float>.self), destination + offset)
        case 4: storeUnaligned(loadUnaligned(source + offset, as: SIMD4<Float>.self), destination + offset)
        default: destination[offset] = source[offset]
        }
    }
}

/// destination[0..<count] += source[0..<count].
@inline(__always)
func addRun(from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
    forEachRunStep(count) { offset, width in
        switch width {
        case 16: addVector(SIMD16<Float>.self, from: source + offset, to: destination + offset)
        case 8: addVector(SIMD8<Float>.self, from: source + offset, to: destination + offset)
        case 4: addVector(SIMD4<Float>.self, from: source + offset, to: destination + offset)
        default: destination[offset] += source[offset]
        }
    }
}

/// One vector step of `addRun`.
@inline(__always)
private func addVector<Vector: SIMD>(_ type: Vector.Type, from source: UnsafePointer<Float>,
                                     to destination: UnsafeMutablePointer<Float>) where Vector.Scalar == Float {
    storeUnaligned(loadUnaligned(destination, as: Vector.self) + loadUnaligned(source, as: Vector.self), destination)
}

/// destination[0..<count] = 0.
@inline(__always)
func zeroRun(_ destination: UnsafeMutablePointer<Float>, count: Int) {
    forEachRunStep(count) { offset, width in
        switch width {
        case 16: storeUnaligned(SIMD16<Float>(), destination + offset)
        case 8: storeUnaligned(SIMD8<Float>(), destination + offset)
        case 4: storeUnaligned(SIMD4<Float>(), destination + offset)
        default: destination[offset] = 0
        }
    }
}

/// Splits 0..<count into steps of 16, then at most one of 8 and one of 4, then single elements,
/// calling `step(offset, width)`. The short steps are unrolled tests, not loops, so that the
/// compiler keeps them inline rather than turning them into library calls.
@inline(__always)
private func forEachRunStep(_ count: Int, _ step: (_ offset: Int, _ width: Int) -> Void) {
    var offset = 0
    while offset + 16 <= count { step(offset, 16); offset += 16 }
    if offset + 8 <= count { step(offset, 8); offset += 8 }
    if offset + 4 <= count { step(offset, 4); offset += 4 }
    if offset < count { step(offset, 1); offset += 1 }
    if offset < count { step(offset, 1); offset += 1 }
    if offset < count { step(offset, 1) }
}
