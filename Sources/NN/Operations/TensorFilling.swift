import NNTensor

extension Tensor {
    /// A tensor of `shape` whose elements `fill` writes, every one of them, into uninitialised
    /// storage (no zero-fill pass first). `fill` is not called for an empty shape.
    init(shape: [Int], filledBy fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = shape.elementCount
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            if count > 0 { fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count])) }
            initializedCount = count
        }
        self.init(shape: shape, scalars: scalars)
    }
}
