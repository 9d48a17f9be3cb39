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
        let seed = UInt64(bitPattern: Int64(spec.train.seed))
        train = try DataLoader(dataset: try Self.dataset(of: trainSource, for: spec), batchSize: data.batchSize,
                               shuffle: data.shuffle, dropLast: data.dropLast, seed: seed)
        test = try data.test.map { (source) throws(DataError) in
            try DataLoader(dataset: try Self.dataset(of: source, for: spec), batchSize: data.batchSize)
        }
    }

    /// The samples of `source` as the network takes them: loaded, reshaped and transformed, with
    /// the targets the spec's loss takes.
    public static func dataset(of source: DataSource, for spec: ValidatedSpec) throws(DataError) -> Dataset {
        guard let loss = spec.loss else { throw .invalidArgument("the spec has no loss:, so its targets are unknown") }
        let targets: TargetKind = switch loss.target {
        case .classIndices: .classIndices(ofOutput: spec.output.sampleSizes)
        case .sameShapeAsOutput: .values(shape: spec.output.sampleSizes)
        }
        // With `target: input` a source's labels are read as one value each and then replaced.
        let targetIsInput = spec.data?.targetIsInput ?? false
        let loaded = try dataset(of: source, sampleShape: try sourceSampleShape(for: spec),
                                 targets: targetIsInput ? .values(shape: [1]) : targets, spec: spec)
        let inputs = try prepared(loaded.inputs, for: spec)
        return try Dataset(inputs: inputs, targets: targetIsInput ? .values(inputs) : loaded.targets)
    }

    /// Inputs [count, …] as a source gives them, reshaped to the shape the spec's transforms take
    /// (an 8×8 image for an input [N, 64]) and transformed, checked against the spec's input.
    public static func prepared(_ inputs: Tensor, for spec: ValidatedSpec) throws(DataError) -> Tensor {
        let sourceShape = try sourceSampleShape(for: spec)
        let sampleShape = Array(inputs.shape.dropFirst())
        guard sourceShape.reduce(1, *) == sampleShape.reduce(1, *) else {
            throw .invalidArgument("samples of shape \(sampleShape) cannot become \(sourceShape): their sizes differ")
        }
        var prepared = Tensor(shape: [inputs.shape[0]] + sourceShape, scalars: inputs.scalars)
        for transform in (spec.data?.transforms ?? []).map(InputTransform.init) { try transform.apply(to: &prepared) }
        let inputShape = spec.input.sampleSizes
        guard Array(prepared.shape.dropFirst()) == inputShape else {
            throw .invalidArgument("the data's samples are \(Array(prepared.shape.dropFirst())) after the transforms, but the input \(spec.input) takes \(inputShape)")
        }
        return prepared
    }

    /// The sample shape the spec's transforms turn into its input's.
    static func sourceSampleShape(for spec: ValidatedSpec) throws(DataError) -> [Int] {
        try sampleShape(before: (spec.data?.transforms ?? []).map(InputTransform.init), toReach: spec.input.sampleSizes)
    }

    /// The vocabulary of the spec's text train split (nil without one), built from its text as
    /// training builds it.
    public static func textVocabulary(for spec: ValidatedSpec) throws(DataError) -> TextVocabulary? {
        guard case .text(let path, let unit, _)? = spec.data?.train else { return nil }
        do {
            return try TextVocabulary(training: try TextFile.read(path: path), unit: unit)
        } catch {
            throw .file(error)
        }
    }

    /// The samples of one split as the source gives them; random data is drawn in `sampleShape`, and
    /// text is read with the vocabulary of the spec's train split.
    private static func dataset(of source: DataSource, sampleShape: [Int], targets: TargetKind,
                                spec: ValidatedSpec) throws(DataError) -> Dataset {
        switch source {
        case .random(let samples, let seed, let classes):
            let kind = classes.map { targets.withClassCount($0) } ?? targets
            return try Dataset.random(samples: samples, sampleShape: sampleShape, tokens: spec.inputTokenCount, targets: kind,
                                      probabilities: spec.loss?.takesProbabilities ?? false, seed: UInt64(bitPattern: Int64(seed)))
        case .idx(let images, let labels, let limit):
            let dataset = try Dataset.idx(images: images, labels: labels, targets: targets)
            return try limit.map { (limit) throws(DataError) in try dataset.prefix(limit) } ?? dataset
        case .csv(let path, let labelColumn, let targetColumns, let header, let limit):
            let dataset = if let targetColumns {
                try Dataset.csv(path: path, hasHeader: header, targetColumns: targetColumns)
            } else {
                try Dataset.csv(path: path, hasHeader: header, label: labelColumn, targets: targets)
            }
            return try limit.map { (limit) throws(DataError) in try dataset.prefix(limit) } ?? dataset
        case .text(let path, _, let limit):
            guard let vocabulary = try textVocabulary(for: spec), let context = sampleShape.first else {
                throw .invalidArgument("\(path): a text split needs a text train split, whose text makes the vocabulary, and an input [N, T]")
            }
            let text: TextFile
            do { text = try TextFile.read(path: path) } catch { throw .file(error) }
            let dataset = try Dataset.text(text, vocabulary: vocabulary, context: context,
                                           ignoreIndex: spec.loss?.arguments.integer("ignore_index") ?? -100)
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
