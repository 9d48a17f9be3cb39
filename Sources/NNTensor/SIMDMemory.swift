/// Unaligned SIMD loads and stores through typed pointers, and lane shuffles the kernels share.

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

/// (v₀, v₀, v₁, v₁, …, v₇, v₇): each lane twice.
@inline(__always)
func eachTwice<Scalar: SIMDScalar>(_ vector: SIMD8<Scalar>) -> SIMD16<Scalar> {
    var result = SIMD16<Scalar>()
    result.evenHalf = vector
    result.oddHalf = vector
    return result
}
