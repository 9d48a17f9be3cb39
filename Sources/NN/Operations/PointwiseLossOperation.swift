import Foundation
import NNTensor

/// An elementwise loss ℓ(x, y) between an input and a target of the same shape (PyTorch's formulas).
enum PointwiseLoss {
    /// (x − y)²
    case squaredError
    /// |x − y|
    case absoluteError
    /// 0.5·d²/β for |d| < β, else |d| − 0.5·β, with d = x − y
    case smoothAbsoluteError(beta: Float)
    /// −(y·log x + (1 − y)·log(1 − x)), each log clamped at −100; x in [0, 1]
    case binaryCrossEntropy
    /// (1 − y)·x + (1 + (p − 1)·y)·log(1 + e⁻ˣ), computed stably; p the positive weight of the
    /// element's class (the last dimension), 1 without `positiveWeight`
    case binaryCrossEntropyWithLogits(positiveWeight: [Float]?)
}

/// The loss of input [*] against target [*], reduced to a scalar [] (mean, sum) or kept [*] (none).
func pointwiseLoss(_ input: Variable, target: Tensor, _ loss: PointwiseLoss, reduction: Reduction) -> Variable {
    var losses = [Float](repeating: 0, count: input.value.count)
    var derivatives = [Float](repeating: 0, count: input.value.count)
    input.value.scalars.withUnsafeBufferPointer { x in
        target.scalars.withUnsafeBufferPointer { y in
            losses.withUnsafeMutableBufferPointer { losses in
                derivatives.withUnsafeMutableBufferPointer { derivatives in
                    evaluatePointwiseLoss(loss, x, y, losses, derivatives)
                }
            }
        }
    }
    let output: Tensor = switch reduction {
    case .none: Tensor(shape: input.shape, scalars: losses)
    case .sum: Tensor(scalar: losses.reduce(0, +))
    case .mean: Tensor(scalar: losses.reduce(0, +) / Float(losses.count))
    }
    return record(output, inputs: [input]) {
        PointwiseLossOperation(input: input, derivatives: derivatives, reduction: reduction)
    }
}

/// Writes ℓ(x[i], y[i]) and ∂ℓ/∂x[i] for every element (autograd's `pointwiseLoss` and a
/// `TrainingPlan`).
func evaluatePointwiseLoss(_ loss: PointwiseLoss, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>,
                      _ losses: UnsafeMutableBufferPointer<Float>, _ derivatives: UnsafeMutableBufferPointer<Float>) {
    switch loss {
    case .squaredError:
        for i in 0..<x.count {
            let difference = x[i] - y[i]
            losses[i] = difference * difference; derivatives[i] = 2 * difference
        }
    case .absoluteError:
        for i in 0..<x.count {
            let difference = x[i] - y[i]
            losses[i] = abs(difference); derivatives[i] = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
        }
    case .smoothAbsoluteError(let beta):
        for i in 0..<x.count {
            let difference = x[i] - y[i], magnitude = abs(difference)
            if magnitude < beta {
                losses[i] = 0.5 * difference * difference / beta; derivatives[i] = difference / beta
            } else {
                losses[i] = magnitude - 0.5 * beta; derivatives[i] = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
            }
        }
    case .binaryCrossEntropy:
        for i in 0..<x.count {
            let logInput = max(log(x[i]), -100), logComplement = max(log(1 - x[i]), -100)
            losses[i] = -(y[i] * logInput + (1 - y[i]) * logComplement)
            derivatives[i] = (x[i] - y[i]) / max((1 - x[i]) * x[i], 1e-12)
        }
    case .binaryCrossEntropyWithLogits(let positiveWeight):
        let classes = positiveWeight?.count ?? 1
        for i in 0..<x.count {
            let logWeight = 1 + ((positiveWeight?[i % classes] ?? 1) - 1) * y[i]
            let maximum = max(-x[i], 0)
            let softplusOfNegative = log(exp(-maximum) + exp(-x[i] - maximum)) + maximum
            losses[i] = (1 - y[i]) * x[i] + logWeight * softplusOfNegative
            let sigmoid = 1 / (1 + exp(-x[i]))
            derivatives[i] = (1 - y[i]) - logWeight * (1 - sigmoid)
        }
    }
}

/// dx = g · ∂ℓ/∂x, with g the output gradient per element (none), or shared (sum; mean divides by the count).
private struct PointwiseLossOperation: DifferentiableOperation {
    let input: Variable
    let derivatives: [Float]
    let reduction: Reduction
    var inputs: [Variable] { [input] }

    func backward(_ outputGradient: Tensor) {
        input.accumulateGradient { dx in
            derivatives.withUnsafeBufferPointer { derivatives in
                switch reduction {
                case .none:
                    outputGradient.scalars.withUnsafeBufferPointer { dy in addProduct(dx, dy, derivatives) }
                case .sum:
                    addScaled(dx, derivatives, scale: outputGradient.scalar)
                case .mean:
                    addScaled(dx, derivatives, scale: outputGradient.scalar / Float(derivatives.count))
                }
            }
        }
    }
}
