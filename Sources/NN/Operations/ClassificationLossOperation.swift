import NNTensor

/// The options shared by CrossEntropyLoss and NLLLoss.
struct ClassificationLossOptions {
    /// Per-class weight [C], or nil for 1.
    var weight: [Float]?
    /// A target equal to this contributes nothing (and no weight to the mean).
    var ignoreIndex: Int
    /// ε: the target distribution is (1 − ε)·onehot + ε/C (cross entropy only).
    var labelSmoothing: Float
    var reduction: Reduction
}

/// Negative log-likelihood of class targets, from logits (`fromLogits`, cross entropy: log-softmax
/// is applied over dim 1) or from log-probabilities (NLL).
/// input [N, C] or [N, C, d…]; targets N·d… class indices in 0..<C (or `ignoreIndex`)
/// → output [] (mean, sum) or [N, d…] (none). Per element, with w the class weights:
/// ℓ = −(1 − ε)·w_y·log p_y − ε/C · Σ_c w_c·log p_c; the mean divides by Σ w_y over kept elements.
func classificationLoss(_ input: Variable, targets: [Int], fromLogits: Bool,
                        options: ClassificationLossOptions, lossName: String) throws(NNError) -> Variable {
    guard input.shape.count >= 2 else {
        throw .shapeMismatch("\(lossName) expects input [N, C] or [N, C, d…] but got \(input.shape)")
    }
    try checkClassTargets(targets, input: input.shape, ignoreIndex: options.ignoreIndex, weightCount: options.weight?.count,
                          lossName: lossName)
    let shape = ClassificationLossShape(input: input.shape, ignoreIndex: options.ignoreIndex, labelSmoothing: options.labelSmoothing,
                                        fromLogits: fromLogits)
    var logProbabilities = input.value
    if fromLogits && logProbabilities.count > 0 {
        input.value.scalars.withUnsafeBufferPointer { x in
            logProbabilities.scalars.withUnsafeMutableBufferPointer { logp in
                softmax(outer: shape.batch, size: shape.classes, inner: shape.spatial, logarithm: true, input: x.baseAddress!,
                        output: logp.baseAddress!)
            }
        }
    }
    let weight = options.weight ?? [Float](repeating: 1, count: shape.classes)
    var losses = [Float](repeating: 0, count: targets.count)
    var total: Float = 0, denominator: Float = 0
    if !targets.isEmpty {
        logProbabilities.scalars.withUnsafeBufferPointer { logp in
            targets.withUnsafeBufferPointer { targets in
                weight.withUnsafeBufferPointer { weight in
                    losses.withUnsafeMutableBufferPointer { losses in
                        (total, denominator) = shape.losses(logp: logp.baseAddress!, targets: targets.baseAddress!,
                                                            weight: weight.baseAddress!, into: losses.baseAddress!)
                    }
                }
            }
        }
    }
    let output: Tensor = switch options.reduction {
    case .none: Tensor(shape: [input.shape[0]] + input.shape.dropFirst(2), scalars: losses)
    case .sum: Tensor(scalar: total)
    case .mean: Tensor(scalar: total / denominator)
    }
    return record(output, inputs: [input]) {
        ClassificationLossOperation(input: input, shape: shape, logProbabilities: logProbabilities, targets: targets, weight: weight,
                                    weightTotal: weight.reduce(0, +), denominator: denominator, reduction: options.reduction)
    }
}

/// The gradient of the loss through `ClassificationLossShape.accumulateInputGradient`, each
/// element's ℓ scaled by its output gradient (none), the output gradient (sum), or the output
/// gradient divided by Σ w_y (mean).
private struct ClassificationLossOperation: DifferentiableOperation {
    let input: Variable
    let shape: ClassificationLossShape
    let logProbabilities: Tensor
    let targets: [Int]
    let weight: [Float]
    let weightTotal: Float, denominator: Float
    let reduction: Reduction
    var inputs: [Variable] { [input] }

    func backward(_ outputGradient: Tensor) {
        input.accumulateGradient { dx in
            guard !targets.isEmpty else { return }
            logProbabilities.scalars.withUnsafeBufferPointer { logp in
                targets.withUnsafeBufferPointer { targets in
                    weight.withUnsafeBufferPointer { weight in
                        outputGradient.scalars.withUnsafeBufferPointer { gradient in
                            let scale: Float = switch reduction {
                            case .none: 0
                            case .sum: gradient[0]
                            case .mean: gradient[0] / denominator
                            }
                            shape.accumulateInputGradient(logp: logp.baseAddress!, targets: targets.baseAddress!, weight: weight.baseAddress!,
                                                          weightTotal: weightTotal, uniformScale: scale,
                                                          elementScales: reduction == .none ? gradient.baseAddress! : nil,
                                                          dx: dx.baseAddress!)
                        }
                    }
                }
            }
        }
    }
}

/// Throws unless `targets` fit input `shape` [N, C, d…] of loss `lossName`: N·d… of them, each in
/// 0..<C or `ignoreIndex`, and `weightCount` (when given) equal to C.
func checkClassTargets(_ targets: [Int], input shape: [Int], ignoreIndex: Int, weightCount: Int?, lossName: String) throws(NNError) {
    let (batch, classes, spatial) = splitAround(shape, axis: 1)
    guard targets.count == batch * spatial else {
        let outputShape = [shape[0]] + shape.dropFirst(2)
        throw .shapeMismatch("\(lossName) input \(shape) needs \(batch * spatial) targets (shape \(outputShape)) but got \(targets.count)")
    }
    if let bad = targets.first(where: { ($0 < 0 || $0 >= classes) && $0 != ignoreIndex }) {
        throw .invalidArgument("\(lossName): target \(bad) is out of bounds for \(classes) classes (input \(shape))")
    }
    if let weightCount, weightCount != classes {
        throw .shapeMismatch("\(lossName) weight has \(weightCount) elements but the input \(shape) has \(classes) classes")
    }
}
