import NN
import NNTensor

/// What a loss compares the network's output with, for each sample.
public enum TargetKind: Equatable, Sendable {
    /// A class index in `0..<count` (CrossEntropyLoss, NLLLoss; the output is [N, count]).
    case classes(count: Int)
    /// Values of one sample's output shape (MSELoss, L1Loss, …; the output is [N] + shape).
    case values(shape: [Int])
}

/// The targets of a set of samples, in sample order.
public enum Targets: Equatable, Sendable {
    /// One class index in `0..<classCount` per sample.
    case classes(indices: [Int], classCount: Int)
    /// Values [count] + sample shape.
    case values(Tensor)

    /// The number of samples.
    public var count: Int {
        switch self {
        case .classes(let indices, _): indices.count
        case .values(let values): values.shape.first ?? 0
        }
    }

    /// `value` as a class index in `0..<classCount`, or nil when it is not one.
    static func classIndex(_ value: Double, classCount: Int) -> Int? {
        value.rounded() == value && value >= 0 && value < Double(classCount) ? Int(value) : nil
    }

    public var kind: TargetKind {
        switch self {
        case .classes(_, let classCount): .classes(count: classCount)
        case .values(let values): .values(shape: Array(values.shape.dropFirst()))
        }
    }
}

/// Samples held in memory: inputs [count] + `sampleShape` with their targets, ready for batching.
public struct Dataset: Sendable {
    /// Inputs [count] + `sampleShape` (images: [count, C, H, W]).
    public let inputs: Tensor
    public let targets: Targets

    /// Pairs `inputs` with `targets`; throws when their sample counts differ or there are none.
    public init(inputs: Tensor, targets: Targets) throws(DataError) {
        guard inputs.rank >= 1, inputs.shape[0] > 0 else {
            throw .invalidArgument("a data set needs at least one sample; the inputs have shape \(inputs.shape)")
        }
        guard targets.count == inputs.shape[0] else {
            throw .invalidArgument("\(inputs.shape[0]) input samples (shape \(inputs.shape)) but \(targets.count) targets")
        }
        if case .classes(let indices, let classCount) = targets,
           let bad = indices.firstIndex(where: { !(0..<classCount).contains($0) }) {
            throw .invalidArgument("the target of sample \(bad) is class \(indices[bad]), outside 0..<\(classCount)")
        }
        self.inputs = inputs
        self.targets = targets
    }

    public var count: Int { inputs.shape[0] }
    /// One sample's input shape (without the sample dimension).
    public var sampleShape: [Int] { Array(inputs.shape.dropFirst()) }

    /// The first `limit` samples (all of them when there are fewer), for a quick run on a subset.
    public func prefix(_ limit: Int) throws(DataError) -> Dataset {
        guard limit > 0 else { throw .invalidArgument("a sample limit must be positive, got \(limit)") }
        guard limit < count else { return self }
        let targets: Targets = switch self.targets {
        case .classes(let indices, let classCount): .classes(indices: Array(indices[..<limit]), classCount: classCount)
        case .values(let values): .values(values.leadingRows(limit))
        }
        return try Dataset(inputs: inputs.leadingRows(limit), targets: targets)
    }

    /// The inputs after `transforms`, in order; the targets are unchanged.
    public func transformed(by transforms: [InputTransform]) throws(DataError) -> Dataset {
        var inputs = self.inputs
        for transform in transforms { try transform.apply(to: &inputs) }
        return try Dataset(inputs: inputs, targets: targets)
    }
}

extension Tensor {
    /// Rows 0..<rows of dimension 0: [rows] + the other dimensions.
    func leadingRows(_ rows: Int) -> Tensor { self.rows(0..<rows) }

    /// The rows `range` of dimension 0: [range.count] + the other dimensions.
    func rows(_ range: Range<Int>) -> Tensor {
        let rowSize = shape.dropFirst().reduce(1, *)
        return Tensor(shape: [range.count] + shape.dropFirst(), scalars: Array(scalars[range.lowerBound * rowSize ..< range.upperBound * rowSize]))
    }
}

extension Targets {
    /// The targets as a loss takes them.
    public var lossTarget: LossTarget {
        switch self {
        case .classes(let indices, _): .classes(indices)
        case .values(let values): .values(values)
        }
    }
}
