/// Unaligned SIMD loads and stores through typed pointers, lane shuffles, and the loop of vector
/// steps that the kernels share.

/// The vector of `Vector.scalarCount` scalars at `pointer`, with no alignment requirement.
@inline(__always)
func loadUnaligned<Vector: SIMD>(_ pointer: UnsafePointer<Vector.Scalar>, as type: Vector.Type) -> Vector {
    UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
}

/// Stores `vector` at `pointer`, with no alignment requirement.
@inline(__always)
func storeUnaligned<Vector: SIMD>(_ vector: Vector, _ pointer: UnsafeMutablePointer<Vector.Scalar>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: Vector.self)
}

/// The first `lanes` (1…16) floats at `pointer`, the other lanes 0.
@inline(__always) func loadLanes(_ pointer: UnsafePointer<Float>, _ lanes: Int) -> SIMD16<Float> {
    if lanes == 16 { return loadUnaligned(pointer, as: SIMD16<Float>.self) }
    var vector = SIMD16<Float>()
    for lane in 0..<lanes { vector[lane] = pointer[lane] }
    return vector
}

/// Stores the first `lanes` (1…16) lanes of `vector` at `pointer`.
@inline(__always) func storeLanes(_ vector: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>, _ lanes: Int) {
    if lanes == 16 { return storeUnaligned(vector, pointer) }
    for lane in 0..<lanes { pointer[lane] = vector[lane] }
}

/// (v₀, v₀, v₁, v₁, …, v₇, v₇): each lane twice.
@inline(__always)
func eachTwice<Scalar: SIMDScalar>(_ v: SIMD8<Scalar>) -> SIMD16<Scalar> {
    // Lane by lane, one shuffle; the standard library's `evenHalf`/`oddHalf` setters are loops that
    // the compiler does not always inline.
    SIMD16(v[0], v[0], v[1], v[1], v[2], v[2], v[3], v[3], v[4], v[4], v[5], v[5], v[6], v[6], v[7], v[7])
}

/// (a₀, a₂, …, a₁₄, b₀, b₂, …, b₁₄): the even lanes of a then of b.
@inline(__always)
func evenLanes(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16(a[0], a[2], a[4], a[6], a[8], a[10], a[12], a[14], b[0], b[2], b[4], b[6], b[8], b[10], b[12], b[14])
}

/// Calls `vector(index)` for each full step of 16 elements of `range`, then `scalar(index)` for
/// the rest. Each step loads before it stores, so an output may be its input (in place), which a
/// compiler-vectorised loop would run one element at a time after its overlap check.
@inline(__always)
func forEachVectorStep(_ range: Range<Int>, vector: (Int) -> Void, scalar: (Int) -> Void) {
    var index = range.lowerBound
    while index + 16 <= range.upperBound {
        vector(index)
        index += 16
    }
    while index < range.upperBound {
        scalar(index)
        index += 1
    }
}

/// Calls `body(start, lanes)` for the chunks of 16 elements of 0..<count, the last one `lanes` long
/// (1…16): for loops that load and store with `loadLanes` and `storeLanes`.
@inline(__always)
func forEachChunkOf16(_ count: Int, _ body: (_ start: Int, _ lanes: Int) -> Void) {
    var start = 0
    while start < count {
        let lanes = min(16, count - start)
        body(start, lanes)
        start += lanes
    }
}
