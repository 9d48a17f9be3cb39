import Foundation
import NNTensor

/// Rectified Adam (Liu et al.), exactly as `torch.optim.RAdam` (single-tensor path):
///
///     t += 1;  g = ±grad (+ weight_decay·p unless decoupled; decoupled: p ·= 1 − lr·weight_decay)
///     m = lerp(m, g, 1 − β1);  v = β2·v + (1 − β2)·g²;  m̂ = m / (1 − β1ᵗ)
///     ρ∞ = 2/(1 − β2) − 1;  ρₜ = ρ∞ − 2t·β2ᵗ/(1 − β2ᵗ)
///     ρₜ > 5: p = p − m̂·lr · √(1 − β2ᵗ)/(√v + eps) · r,  r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))
///     else:   p = p − m̂·lr
public final class RAdam: PerParameterOptimizer {
    public struct State {
        public var step: Int
        public var expAvg: [Float], expAvgSq: [Float]
    }

    public let parameters: [Variable]
    public var learningRate: Double
    public var stepCount = 0
    public var parameterStates: [State?]
    public var moments: MomentEstimates

    public init(_ parameters: [Variable], lr: Double = 0.001, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, decoupledWeightDecay: Bool = false, maximize: Bool = false) throws(OptimizerError) {
        self.moments = try MomentEstimates(lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                                           decoupledWeightDecay: decoupledWeightDecay, maximize: maximize)
        self.parameters = parameters
        self.parameterStates = Array(repeating: nil, count: parameters.count)
        self.learningRate = lr
    }

    public func initialState(elementCount: Int) -> State {
        let zeros = [Float](repeating: 0, count: elementCount)
        return State(step: 0, expAvg: zeros, expAvgSq: zeros)
    }

    public func applySingle(gradient: UnsafeBufferPointer<Float>, parameter: UnsafeMutableBufferPointer<Float>,
                            state: inout State) {
        state.step += 1
        let (beta1, beta2) = moments.betas
        let step = Double(state.step)
        let biasCorrection1 = 1 - pow(beta1, step), biasCorrection2 = 1 - pow(beta2, step)
        let rhoInfinity = 2 / (1 - beta2) - 1
        let rho = rhoInfinity - 2 * step * pow(beta2, step) / biasCorrection2
        /// The rectification r, or nil while the variance is not tractable (ρₜ ≤ 5).
        let rectification: Float? = rho > 5
            ? Float(((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot())
            : nil
        let constants = moments.step(learningRate: learningRate), lr = Float(learningRate)
        let (correction1, correction2Sqrt) = (Float(biasCorrection1), Float(biasCorrection2.squareRoot()))
        state.expAvg.withUnsafeMutableBufferPointer { m in
            state.expAvgSq.withUnsafeMutableBufferPointer { v in
                for i in 0..<parameter.count {
                    _ = constants.update(gradient: gradient[i], parameter: &parameter[i], m: &m[i], v: &v[i])
                    let step = m[i] / correction1 * lr
                    if let rectification {
                        parameter[i] -= step * (correction2Sqrt / (v[i].squareRoot() + constants.eps)) * rectification
                    } else {
                        parameter[i] -= step
                    }
                }
            }
        }
    }

    public func namedBuffers(of state: State, shape: [Int]) -> [NamedTensor] {
        [NamedTensor("step", Tensor(scalar: Float(state.step))),
         NamedTensor("exp_avg", Tensor(shape: shape, scalars: state.expAvg)),
         NamedTensor("exp_avg_sq", Tensor(shape: shape, scalars: state.expAvgSq))]
    }

    public func state(from buffers: ParameterStateBuffers) throws(OptimizerError) -> State {
        var buffers = buffers
        let state = State(step: try buffers.stepCount(), expAvg: try buffers.buffer("exp_avg"),
                          expAvgSq: try buffers.buffer("exp_avg_sq"))
        try buffers.requireAllUsed()
        return state
    }
}
