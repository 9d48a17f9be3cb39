import Foundation

// Elementwise kernels over buffers of equal length. Buffers may be empty.

/// destination[i] += source[i]
public func addAssign(_ destination: UnsafeMutableBufferPointer<Float>, _ source: UnsafeBufferPointer<Float>) {
    precondition(destination.count == source.count, "addAssign of \(source.count) into \(destination.count) elements")
    WorkerPool.shared.forEachChunk(of: destination.count, context: (destination, source)) { buffers, chunk in
        let (destination, source) = buffers
        for index in chunk { destination[index] += source[index] }
    }
}

/// destination[i] = a[i] + b[i], then, when `rectified`, the ReLU of the sum as `Activation.relu`
/// computes it; `destination` may be `a` or `b` itself (in place).
public func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int,
                rectified: Bool) {
    WorkerPool.shared.forEachChunk(of: count, context: (destination, a, b, rectified)) { buffers, chunk in
        let (sum, a, b, rectified) = buffers
        forEachVectorStep(chunk) { index in
            let value = loadUnaligned(a + index, as: SIMD16<Float>.self) + loadUnaligned(b + index, as: SIMD16<Float>.self)
            storeUnaligned(rectified ? NNTensor.rectified(value) : value, sum + index)
        } scalar: { index in
            let value = a[index] + b[index]
            sum[index] = rectified ? NNTensor.rectified(value) : value
        }
    }
}

/// destination[i] = a[i] · b[i]; `destination` may be `a` or `b` itself (in place).
public func multiply(_ destination: UnsafeMutableBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>,
                     _ b: UnsafeBufferPointer<Float>) {
    precondition(destination.count == a.count && a.count == b.count, "multiply of \(a.count)·\(b.count) into \(destination.count) elements")
    guard let product = destination.baseAddress, let a = a.baseAddress, let b = b.baseAddress else { return }
    WorkerPool.shared.forEachChunk(of: destination.count, context: (product, a, b)) { buffers, chunk in
        let (product, a, b) = buffers
        forEachVectorStep(chunk) { index in
            storeUnaligned(loadUnaligned(a + index, as: SIMD16<Float>.self) * loadUnaligned(b + index, as: SIMD16<Float>.self), product + index)
        } scalar: { index in
            product[index] = a[index] * b[index]
        }
    }
}

/// destination[i] += scale · a[i] · b[i]
public func addProduct(_ destination: UnsafeMutableBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>,
                       _ b: UnsafeBufferPointer<Float>, scale: Float = 1) {
    precondition(destination.count == a.count && a.count == b.count, "addProduct of \(a.count)·\(b.count) into \(destination.count) elements")
    WorkerPool.shared.forEachChunk(of: destination.count, context: (destination, a, b, scale)) { buffers, chunk in
        let (destination, a, b, scale) = buffers
        for index in chunk { destination[index] += scale * a[index] * b[index] }
    }
}

/// destination[i] += scale · a[i]
public func addScaled(_ destination: UnsafeMutableBufferPointer<Float>, _ a: UnsafeBufferPointer<Float>, scale: Float) {
    precondition(destination.count == a.count, "addScaled of \(a.count) into \(destination.count) elements")
    for index in 0..<destination.count { destination[index] += scale * a[index] }
}
