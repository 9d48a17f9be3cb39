import Foundation

/// Scales the gradients of `parameters` so that their total norm is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite=False)`:
///
///     total = ‖(‖g₁‖_p, ‖g₂‖_p, …)‖_p        over the parameters that have a gradient
///     g ·= min(max_norm / (total + 1e-6), 1)  in float32, every gradient, every call
///
/// A non-finite total makes the gradients non-finite, as in PyTorch. Returns the total norm before
/// clipping. Each norm is summed in double precision and rounded to float32.
@discardableResult
public func clipGradNorm(_ parameters: [Variable], maxNorm: Double, normType: Double = 2) -> Float {
    let gradients = parameters.compactMap(\.grad)
    guard !gradients.isEmpty else { return 0 }
    let total = vectorNorm(gradients.map { vectorNorm($0.scalars, order: normType) }, order: normType)
    let coefficient = min(Float(maxNorm) / (total + Float(1e-6)), 1)
    for parameter in parameters where parameter.grad != nil {
        parameter.grad!.scalars.withUnsafeMutableBufferPointer { gradient in
            for i in gradient.indices { gradient[i] *= coefficient }
        }
    }
    return total
}

/// (Σ|xᵢ|ᵖ)^(1/p) of float32 values, accumulated in double precision; p = 2 without `pow`.
private func vectorNorm(_ values: [Float], order: Double) -> Float {
    if order == 2 {
        return Float(values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    }
    return Float(pow(values.reduce(0.0) { $0 + pow(Double(abs($1)), order) }, 1 / order))
}
