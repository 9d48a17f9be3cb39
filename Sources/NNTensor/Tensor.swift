/// A dense, contiguous, row-major float32 array. Images are NCHW: batch, channels, height, width.
///
/// Value semantics (copy-on-write through `[Float]`); kernels read and write `scalars` through
/// `withUnsafeBufferPointer` / `withUnsafeMutableBufferPointer`.
public struct Tensor: Sendable, Equatable {
    /// Sizes of each dimension, outermost first; `[]` is a scalar.
    public private(set) var shape: [Int]
    /// `shape.product` elements in row-major order.
    public var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.elementCount == scalars.count,
                     "shape \(shape) needs \(shape.elementCount) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.elementCount))
    }

    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A rank-0 tensor holding `value`.
    public init(scalar value: Float) { self.init(shape: [], scalars: [value]) }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }

    /// The only element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "scalar of a tensor of shape \(shape)")
        return scalars[0]
    }

    /// The same scalars viewed with another shape of the same element count.
    public func reshaped(_ newShape: [Int]) throws(TensorError) -> Tensor {
        guard newShape.elementCount == count, newShape.allSatisfy({ $0 >= 0 }) else {
            throw .shapeMismatch("cannot reshape \(shape) (\(count) elements) to \(newShape)")
        }
        return Tensor(shape: newShape, scalars: scalars)
    }
}

extension Array where Element == Int {
    /// The number of elements of a tensor of this shape (1 for `[]`).
    public var elementCount: Int { reduce(1, *) }
}

/// The tensor `shape` as [outer, size, inner] around `axis`: the products of the dimensions before
/// it, its size, and the product of those after it ((1, 1, 1) for a scalar's `[]`).
public func splitAround(_ shape: [Int], axis: Int) -> (outer: Int, size: Int, inner: Int) {
    guard !shape.isEmpty else { return (1, 1, 1) }
    return (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(shape: \(shape), scalars: \(scalars.prefix(8))\(count > 8 ? "…" : ""))" }
}

/// A misuse of the tensor API that the caller can report: the message names the shapes involved.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let message), .invalidArgument(let message): message
        }
    }
}
