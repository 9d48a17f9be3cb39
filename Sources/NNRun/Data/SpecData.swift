import NNData
import NNSpec
import NNTensor

/// The batched train and test data of a validated spec's `data:` block.
///
/// Samples come out shaped as the spec's input: a source's samples are reshaped to the shape
/// the transforms expect when only their layout differs (an 8×8 image for an input [N, 64]),
/// then transformed. Targets are what the loss takes: class indices below the output's size for
/// CrossEntropyLoss and NLLLoss, values of the output's shape otherwise, or with `target: input` the
/// transformed inputs themselves. The training data is
/// shuffled with `train.seed`; the test data is never shuffled nor cut short.
public struct SpecData: Sendable {
    public let train: DataLoader
    public let test: DataLoader?

    public init(spec: ValidatedSpec) throws(DataError) {
        guard let data = spec.data, let trainSource = data.train else {
            throw .invalidArgument("the spec has no data: train: source to train on")
        }
        guard let loss = spec.loss else { throw .invalidArgument("the spec has no loss:, so its targets are unknown") }
        let transforms = data.transforms.map(InputTransform.init)
        let inputShape = spec.input.sampleSizes
        let sourceShape = try Self.sampleShape(before: transforms, toReach: inputShape)
        let targets: TargetKind = switch loss.target {
        case .classIndices: .classes(count: spec.output.sampleSizes.first ?? 1)
        case .sameShapeAsOutput: .values(shape: spec.output.sampleSizes)
        }
        // With `target: input` a source's labels are read as one value each and then replaced.
        let sourceTargets = data.targetIsInput ? TargetKind.values(shape: [1]) : targets
        let load = { (source: DataSource) throws(DataError) -> Dataset in
            var dataset = try Self.dataset(of: source, sampleShape: sourceShape, targets: sourceTargets)
            dataset = try dataset.reshapedSamples(to: sourceShape).transformed(by: transforms)
            guard dataset.sampleShape == inputShape else {
                throw .invalidArgument("the data's samples are \(dataset.sampleShape) after the transforms, but the input \(spec.input) takes \(inputShape)")
            }
            return data.targetIsInput ? try Dataset(inputs: dataset.inputs, targets: .values(dataset.inputs)) : dataset
        }
        let seed = UInt64(bitPattern: Int64(spec.train.seed))
        train = try DataLoader(dataset: try load(trainSource), batchSize: data.batchSize, shuffle: data.shuffle,
                               dropLast: data.dropLast, seed: seed)
        test = try data.test.map { (source) throws(DataError) in try DataLoader(dataset: try load(source), batchSize: data.batchSize) }
    }

    /// The samples of one split as the source gives them; random data is drawn in `sampleShape`.
    private static func dataset(of source: DataSource, sampleShape: [Int], targets: TargetKind) throws(DataError) -> Dataset {
        switch source {
        case .random(let samples, let seed, let classes):
            let kind = classes.map { TargetKind.classes(count: $0) } ?? targets
            return try Dataset.random(samples: samples, sampleShape: sampleShape, targets: kind, seed: UInt64(bitPattern: Int64(seed)))
        case .idx(let images, let labels, let limit):
            let dataset = try Dataset.idx(images: images, labels: labels, targets: targets)
            return try limit.map { (limit) throws(DataError) in try dataset.prefix(limit) } ?? dataset
        case .csv(let path, let labelColumn, let targetColumns, let header, let limit):
            let dataset = if let targetColumns {
                try Dataset.csv(path: path, hasHeader: header, targetColumns: targetColumns.map(CSVColumn.index))
            } else {
                try Dataset.csv(path: path, hasHeader: header, label: .index(labelColumn), targets: targets)
            }
            return try limit.map { (limit) throws(DataError) in try dataset.prefix(limit) } ?? dataset
        }
    }

    /// The sample shape that `transforms` turn into `inputShape` (pads undone).
    static func sampleShape(before transforms: [InputTransform], toReach inputShape: [Int]) throws(DataError) -> [Int] {
        let padding = transforms.reduce(0) { total, transform in
            if case .pad(let padding) = transform { return total + padding }
            return total
        }
        guard padding > 0 else { return inputShape }
        guard inputShape.count >= 2, inputShape.suffix(2).allSatisfy({ $0 > 2 * padding }) else {
            throw .invalidArgument("the transforms pad by \(padding) on each side, more than the input's sample \(inputShape) can hold")
        }
        return inputShape.dropLast(2) + inputShape.suffix(2).map { $0 - 2 * padding }
    }
}

extension InputTransform {
    /// The transform a spec's `data: transforms:` entry describes.
    init(_ transform: NNSpec.DataTransform) {
        switch transform {
        case .scale(let factor): self = .scale(Float(factor))
        case .normalize(let mean, let std): self = .normalize(mean: mean.map(Float.init), std: std.map(Float.init))
        case .pad(let padding): self = .pad(padding)
        }
    }
}

extension Dataset {
    /// The same samples with another layout of the same element count ([count, 8, 8] → [count, 64]).
    func reshapedSamples(to sampleShape: [Int]) throws(DataError) -> Dataset {
        guard sampleShape != self.sampleShape else { return self }
        guard sampleShape.reduce(1, *) == self.sampleShape.reduce(1, *) else {
            throw .invalidArgument("samples of shape \(self.sampleShape) cannot become \(sampleShape): their sizes differ")
        }
        return try Dataset(inputs: Tensor(shape: [count] + sampleShape, scalars: inputs.scalars), targets: targets)
    }
}
