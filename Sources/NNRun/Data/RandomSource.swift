import NNSpec
import NNTensor

extension Dataset {
    /// `samples` random samples, as the torch.nn tutorial makes them: inputs [samples] +
    /// `sampleShape` drawn from a standard normal (`torch.randn`), or for a network that starts with
    /// an Embedding token ids uniform below `tokens` (`torch.randint`); targets a uniform class index
    /// (one per position for `.positionClasses`), or values of the target shape: standard normals,
    /// or with `probabilities` uniform in [0, 1) (`torch.rand`, for BCELoss).
    ///
    /// Sample i is drawn after samples 0..<i from one generator seeded with `seed`, so the first
    /// samples do not depend on `samples`.
    public static func random(samples: Int, sampleShape: [Int], tokens: Int? = nil, targets kind: TargetKind,
                              probabilities: Bool = false, seed: UInt64) throws(DataError) -> Dataset {
        guard samples > 0, sampleShape.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument("random data needs a positive sample count and sizes, got \(samples) samples of shape \(sampleShape)")
        }
        let targetShape: [Int]
        switch kind {
        case .classes(let classCount):
            guard classCount > 0 else { throw .invalidArgument("random class targets need a positive class count, got \(classCount)") }
            targetShape = []
        case .positionClasses(let classCount, let positions):
            guard classCount > 0, positions > 0 else {
                throw .invalidArgument("random position targets need positive class and position counts, got \(classCount) and \(positions)")
            }
            targetShape = [positions]
        case .values(let shape):
            guard shape.allSatisfy({ $0 > 0 }) else { throw .invalidArgument("random value targets need positive sizes, got shape \(shape)") }
            targetShape = shape
        }
        guard let inputCount = checkedProduct([samples] + sampleShape), let targetCount = checkedProduct([samples] + targetShape) else {
            throw .invalidArgument("random data of \(samples) samples of shape \(sampleShape) has more elements than can be addressed")
        }
        var generator = RandomGenerator(seed: seed)
        let inputSize = inputCount / samples, targetSize = targetCount / samples
        var inputs = [Float](repeating: 0, count: inputCount)
        var values = [Float](repeating: 0, count: targetCount)
        let drawsClasses = switch kind { case .values: false; case .classes, .positionClasses: true }
        var indices = [Int](repeating: 0, count: drawsClasses ? targetCount : 0)
        for sample in 0..<samples {
            let inputRange = sample * inputSize..<(sample + 1) * inputSize
            if let tokens {
                for index in inputRange { inputs[index] = Float(generator.index(below: tokens)) }
            } else {
                fillNormal(&inputs, inputRange, using: &generator)
            }
            switch kind {
            case .classes(let classCount), .positionClasses(let classCount, _):
                for index in sample * targetSize..<(sample + 1) * targetSize { indices[index] = generator.index(below: classCount) }
            case .values where probabilities:
                for index in sample * targetSize..<(sample + 1) * targetSize { values[index] = generator.nextUnitFloat() }
            case .values: fillNormal(&values, sample * targetSize..<(sample + 1) * targetSize, using: &generator)
            }
        }
        let targets: Targets = switch kind {
        case .classes(let classCount): .classes(indices: indices, classCount: classCount)
        case .positionClasses(let classCount, let positions): .positionClasses(indices: indices, positions: positions, classCount: classCount)
        case .values: .values(Tensor(shape: [samples] + targetShape, scalars: values))
        }
        return try Dataset(inputs: Tensor(shape: [samples] + sampleShape, scalars: inputs), targets: targets)
    }

    private static func fillNormal(_ values: inout [Float], _ range: Range<Int>, using generator: inout RandomGenerator) {
        for index in range { values[index] = generator.normal() }
    }
}
