extension Tensor {
    /// A tensor of `shape` whose elements `fill` writes, every one of them, into uninitialised
    /// storage (no zero-fill pass first). `fill` is not called for an empty shape.
    public init(shape: [Int], filledBy fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = shape.elementCount
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            if count > 0 { fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count])) }
            initializedCount = count
        }
        self.init(shape: shape, scalars: scalars)
    }
}

extension Tensor {
    /// This tensor with its elements rewritten by `transform(source, destination)`, in its own
    /// storage: `destination` is `source`. Storage that another tensor still shares is copied first
    /// (copy-on-write), so only a uniquely held tensor (a gradient handed to `backward`) is free.
    public consuming func transformedInPlace(
        _ transform: (_ source: UnsafeBufferPointer<Float>, _ destination: UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Tensor {
        var tensor = self
        tensor.scalars.withUnsafeMutableBufferPointer { buffer in transform(UnsafeBufferPointer(buffer), buffer) }
        return tensor
    }
}
