import Foundation
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
    let (batch, classes, spatial) = splitAround(input.shape, axis: 1)
    let outputShape = [input.shape[0]] + input.shape.dropFirst(2)
    guard targets.count == batch * spatial else {
        throw .shapeMismatch("\(lossName) input \(input.shape) needs \(batch * spatial) targets (shape \(outputShape)) but got \(targets.count)")
    }
    if let bad = targets.first(where: { ($0 < 0 || $0 >= classes) && $0 != options.ignoreIndex }) {
        throw .invalidArgument("\(lossName): target \(bad) is out of bounds for \(classes) classes (input \(input.shape))")
    }
    if let weight = options.weight, weight.count != classes {
        throw .shapeMismatch("\(lossName) weight has \(weight.count) elements but the input \(input.shape) has \(classes) classes")
    }
    var logProbabilities = input.value
    if fromLogits && logProbabilities.count > 0 {
        input.value.scalars.withUnsafeBufferPointer { x in
            logProbabilities.scalars.withUnsafeMutableBufferPointer { logp in
                softmax(outer: batch, size: classes, inner: spatial, logarithm: true, input: x.baseAddress!, output: logp.baseAddress!)
            }
        }
    }
    let weight = options.weight ?? [Float](repeating: 1, count: classes)
    let weightTotal = weight.reduce(0, +)
    let smoothing = options.labelSmoothing
    var losses = [Float](repeating: 0, count: targets.count)
    var denominator: Float = 0
    logProbabilities.scalars.withUnsafeBufferPointer { logp in
        for n in 0..<batch {
            for s in 0..<spatial {
                let element = n * spatial + s, target = targets[element]
                guard target != options.ignoreIndex else { continue }
                let base = n * classes * spatial + s
                var loss = -(1 - smoothing) * weight[target] * logp[base + target * spatial]
                if smoothing > 0 {
                    var smooth: Float = 0
                    for c in 0..<classes { smooth += weight[c] * logp[base + c * spatial] }
                    loss -= smoothing / Float(classes) * smooth
                }
                losses[element] = loss
                denominator += weight[target]
            }
        }
    }
    let output: Tensor = switch options.reduction {
    case .none: Tensor(shape: outputShape, scalars: losses)
    case .sum: Tensor(scalar: losses.reduce(0, +))
    case .mean: Tensor(scalar: losses.reduce(0, +) / denominator)
    }
    return record(output, inputs: [input]) {
        ClassificationLossOperation(input: input, logProbabilities: logProbabilities, targets: targets, fromLogits: fromLogits,
                                    weight: weight, weightTotal: weightTotal, denominator: denominator, options: options)
    }
}

/// With s the output gradient for the element (divided by Σ w_y for the mean), the gradient
/// with respect to log p_c is g_c = −s·((1 − ε)·w_y·[c = y] + ε/C·w_c); through log-softmax,
/// dx_c = g_c − p_c·Σ_k g_k = g_c + p_c·s·((1 − ε)·w_y + ε/C·Σw).
private struct ClassificationLossOperation: DifferentiableOperation {
    let input: Variable
    let logProbabilities: Tensor
    let targets: [Int]
    let fromLogits: Bool
    let weight: [Float]
    let weightTotal: Float, denominator: Float
    let options: ClassificationLossOptions
    var inputs: [Variable] { [input] }

    func backward(_ outputGradient: Tensor) {
        let (batch, classes, spatial) = splitAround(input.shape, axis: 1)
        let smoothing = options.labelSmoothing, uniformShare = options.labelSmoothing / Float(classes)
        input.accumulateGradient { dx in
            logProbabilities.scalars.withUnsafeBufferPointer { logp in
                for n in 0..<batch {
                    for s in 0..<spatial {
                        let element = n * spatial + s, target = targets[element]
                        guard target != options.ignoreIndex else { continue }
                        let scale: Float = switch options.reduction {
                        case .none: outputGradient.scalars[element]
                        case .sum: outputGradient.scalar
                        case .mean: outputGradient.scalar / denominator
                        }
                        let base = n * classes * spatial + s
                        if smoothing > 0 {
                            for c in 0..<classes { dx[base + c * spatial] -= scale * uniformShare * weight[c] }
                        }
                        dx[base + target * spatial] -= scale * (1 - smoothing) * weight[target]
                        if fromLogits {
                            let total = scale * ((1 - smoothing) * weight[target] + uniformShare * weightTotal)
                            for c in 0..<classes { dx[base + c * spatial] += total * exp(logp[base + c * spatial]) }
                        }
                    }
                }
            }
        }
    }
}
