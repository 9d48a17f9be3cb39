import Foundation
import NNTensor

/// Adam (Kingma & Ba), optionally AMSGrad, exactly as `torch.optim.Adam`:
///
///     t += 1;  g = ±grad (+ weight_decay·p unless decoupled; decoupled: p ·= 1 − lr·weight_decay)
///     m = lerp(m, g, 1 − β1);  v = β2·v + (1 − β2)·g²;  v̂max = max(v̂max, v) (amsgrad)
///     p = p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
///
/// `AdamW` is this class with decoupled weight decay.
public class Adam: PerParameterOptimizer {
    public struct State {
        public var step: Int
        /// `exp_avg`, `exp_avg_sq`, and `max_exp_avg_sq` (amsgrad only).
        public var expAvg: [Float], expAvgSq: [Float], maxExpAvgSq: [Float]?
    }

    public let parameters: [Variable]
    public var learningRate: Double
    public var stepCount = 0
    public var parameterStates: [State?]
    public var moments: MomentEstimates
    public let amsgrad: Bool

    public init(_ parameters: [Variable], lr: Double = 0.001, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false,
                decoupledWeightDecay: Bool = false) throws(OptimizerError) {
        self.moments = try MomentEstimates(lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                                           decoupledWeightDecay: decoupledWeightDecay, maximize: maximize)
        self.parameters = parameters
        self.parameterStates = Array(repeating: nil, count: parameters.count)
        self.learningRate = lr
        self.amsgrad = amsgrad
    }

    public func initialState(elementCount: Int) -> State {
        let zeros = [Float](repeating: 0, count: elementCount)
        return State(step: 0, expAvg: zeros, expAvgSq: zeros, maxExpAvgSq: amsgrad ? zeros : nil)
    }

    public func applySingle(gradient: UnsafeBufferPointer<Float>, parameter: UnsafeMutableBufferPointer<Float>,
                            state: inout State) {
        state.step += 1
        let (beta1, beta2) = moments.betas
        let step = Double(state.step)
        let stepSize = Float(learningRate / (1 - pow(beta1, step)))
        let biasCorrection2Sqrt = Float((1 - pow(beta2, step)).squareRoot())
        let constants = moments.step(learningRate: learningRate)
        var maxExpAvgSq = state.maxExpAvgSq.take() ?? []
        state.expAvg.withUnsafeMutableBufferPointer { m in
            state.expAvgSq.withUnsafeMutableBufferPointer { v in
                maxExpAvgSq.withUnsafeMutableBufferPointer { vMax in
                    for i in 0..<parameter.count {
                        _ = constants.update(gradient: gradient[i], parameter: &parameter[i], m: &m[i], v: &v[i])
                        var second = v[i]
                        if !vMax.isEmpty {
                            vMax[i] = max(vMax[i], v[i])
                            second = vMax[i]
                        }
                        let denominator = second.squareRoot() / biasCorrection2Sqrt + constants.eps
                        parameter[i] -= stepSize * (m[i] / denominator)
                    }
                }
            }
        }
        if amsgrad { state.maxExpAvgSq = maxExpAvgSq }
    }

    public func namedBuffers(of state: State, shape: [Int]) -> [NamedTensor] {
        var buffers = [
            NamedTensor("step", Tensor(scalar: Float(state.step))),
            NamedTensor("exp_avg", Tensor(shape: shape, scalars: state.expAvg)),
            NamedTensor("exp_avg_sq", Tensor(shape: shape, scalars: state.expAvgSq)),
        ]
        if let maxExpAvgSq = state.maxExpAvgSq {
            buffers.append(NamedTensor("max_exp_avg_sq", Tensor(shape: shape, scalars: maxExpAvgSq)))
        }
        return buffers
    }

    public func state(from buffers: ParameterStateBuffers) throws(OptimizerError) -> State {
        var buffers = buffers
        let state = State(step: try buffers.stepCount(), expAvg: try buffers.buffer("exp_avg"),
                          expAvgSq: try buffers.buffer("exp_avg_sq"),
                          maxExpAvgSq: amsgrad ? try buffers.buffer("max_exp_avg_sq") : nil)
        try buffers.requireAllUsed()
        return state
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter), as `torch.optim.AdamW`: the parameter is
/// multiplied by 1 − lr·weight_decay before the Adam update. Default weight decay 0.01.
public final class AdamW: Adam {
    public init(_ parameters: [Variable], lr: Double = 0.001, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0.01, amsgrad: Bool = false,
                maximize: Bool = false) throws(OptimizerError) {
        try super.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad,
                       maximize: maximize, decoupledWeightDecay: true)
    }
}

/// `start + weight·(end − start)`, evaluated as PyTorch's `lerp` does for float32.
@inline(__always)
func lerp(_ start: Float, _ end: Float, weight: Float) -> Float {
    weight < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
}
