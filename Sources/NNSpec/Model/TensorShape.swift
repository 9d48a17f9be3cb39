/// One dimension of a shape: the symbolic batch (`N`) or a known size.
public enum Dimension: Hashable, Sendable, CustomStringConvertible {
    case symbol(String)
    case size(Int)

    /// The size when known.
    public var size: Int? {
        if case .size(let value) = self { return value }
        return nil
    }

    public var description: String {
        switch self {
        case .symbol(let name): return name
        case .size(let value): return String(value)
        }
    }
}

/// The shape of a tensor flowing between layers; dimension 0 is the batch.
/// Described as PyTorch users write it: `[N, 16, 5, 5]`.
public struct TensorShape: Hashable, Sendable, CustomStringConvertible {
    public var dimensions: [Dimension]

    public init(_ dimensions: [Dimension]) {
        self.dimensions = dimensions
    }

    /// A batch dimension followed by one sample's sizes.
    public init(batch: Dimension, sample: [Int]) {
        self.dimensions = [batch] + sample.map(Dimension.size)
    }

    /// The batch dimension (dimension 0).
    public var batch: Dimension { dimensions.first ?? .size(1) }

    public var rank: Int { dimensions.count }

    /// The sizes of dimensions 1…: one sample's shape, when all are known.
    public var sampleSizes: [Int] { dimensions.dropFirst().compactMap(\.size) }

    /// Elements of one sample (the product of dimensions 1…), nil on overflow.
    public var sampleElementCount: Int? { checkedProduct(sampleSizes) }

    /// The same batch with another sample shape.
    public func withSample(_ sample: [Int]) -> TensorShape {
        TensorShape(batch: batch, sample: sample)
    }

    public var description: String { "[" + dimensions.map(\.description).joined(separator: ", ") + "]" }
}

/// The product of sizes, or nil when it overflows `Int`.
public func checkedProduct(_ values: [Int]) -> Int? {
    var product = 1
    for value in values {
        let (result, overflow) = product.multipliedReportingOverflow(by: value)
        if overflow { return nil }
        product = result
    }
    return product
}

/// The product of values, or `Int.max` when it overflows (for totals that are only reported).
public func saturatingProduct(_ values: [Int]) -> Int {
    checkedProduct(values) ?? Int.max
}

/// The sum of values, or `Int.max` when it overflows.
public func saturatingSum(_ values: [Int]) -> Int {
    var sum = 0
    for value in values {
        let (result, overflow) = sum.addingReportingOverflow(value)
        if overflow { return Int.max }
        sum = result
    }
    return sum
}

/// The largest size a spec may give a dimension or a size argument (2³¹ − 1). Larger sizes
/// overflow the arithmetic of shape rules; no real network comes near it.
public let maximumSize = Int(Int32.max)
