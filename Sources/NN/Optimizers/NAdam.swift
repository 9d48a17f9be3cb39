import Foundation
import NNTensor

/// Adam with Nesterov momentum (Dozat), exactly as `torch.optim.NAdam` (single-tensor path):
///
///     t += 1;  g = ±grad (+ weight_decay·p unless decoupled; decoupled: p ·= 1 − lr·weight_decay)
///     μₜ = β1·(1 − ½·0.96^(t·momentum_decay));  Π = Π·μₜ  (`mu_product`, float32 as PyTorch keeps it)
///     m = lerp(m, g, 1 − β1);  v = β2·v + (1 − β2)·g²;  d = √(v / (1 − β2ᵗ)) + eps
///     p = p − lr·(1 − μₜ)/(1 − Π) · g/d − lr·μₜ₊₁/(1 − Π·μₜ₊₁) · m/d
public final class NAdam: PerParameterOptimizer {
    public struct State {
        public var step: Int
        /// `mu_product`: the product of the momentum coefficients μ₁…μₜ.
        public var muProduct: Float
        public var expAvg: [Float], expAvgSq: [Float]
    }

    public let parameters: [Variable]
    public var learningRate: Double
    public var stepCount = 0
    public var parameterStates: [State?]
    public var moments: MomentEstimates
    public let momentumDecay: Double

    public init(_ parameters: [Variable], lr: Double = 0.002, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, momentumDecay: Double = 0.004, decoupledWeightDecay: Bool = false,
                maximize: Bool = false) throws(OptimizerError) {
        self.moments = try MomentEstimates(lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
                                           decoupledWeightDecay: decoupledWeightDecay, maximize: maximize)
        try require(momentumDecay >= 0, "Invalid momentum_decay value: \(momentumDecay)")
        self.parameters = parameters
        self.parameterStates = Array(repeating: nil, count: parameters.count)
        self.learningRate = lr
        self.momentumDecay = momentumDecay
    }

    public func initialState(elementCount: Int) -> State {
        let zeros = [Float](repeating: 0, count: elementCount)
        return State(step: 0, muProduct: 1, expAvg: zeros, expAvgSq: zeros)
    }

    /// μₜ for step `step`.
    private func momentumCoefficient(_ step: Int) -> Double {
        moments.betas.0 * (1 - 0.5 * pow(0.96, Double(step) * momentumDecay))
    }

    public func applySingle(gradient: UnsafeBufferPointer<Float>, parameter: UnsafeMutableBufferPointer<Float>,
                            state: inout State) {
        state.step += 1
        let mu = momentumCoefficient(state.step), muNext = momentumCoefficient(state.step + 1)
        state.muProduct *= Float(mu)
        let muProductNext = Double(state.muProduct) * muNext
        let gradientStep = Float(-learningRate * (1 - mu) / (1 - Double(state.muProduct)))
        let averageStep = Float(-learningRate * muNext / (1 - muProductNext))
        let biasCorrection2 = Float(1 - pow(moments.betas.1, Double(state.step)))
        let constants = moments.step(learningRate: learningRate)
        state.expAvg.withUnsafeMutableBufferPointer { m in
            state.expAvgSq.withUnsafeMutableBufferPointer { v in
                for i in 0..<parameter.count {
                    let g = constants.update(gradient: gradient[i], parameter: &parameter[i], m: &m[i], v: &v[i])
                    let denominator = (v[i] / biasCorrection2).squareRoot() + constants.eps
                    parameter[i] += gradientStep * (g / denominator)
                    parameter[i] += averageStep * (m[i] / denominator)
                }
            }
        }
    }

    public func namedBuffers(of state: State, shape: [Int]) -> [NamedTensor] {
        [NamedTensor("step", Tensor(scalar: Float(state.step))),
         NamedTensor("mu_product", Tensor(scalar: state.muProduct)),
         NamedTensor("exp_avg", Tensor(shape: shape, scalars: state.expAvg)),
         NamedTensor("exp_avg_sq", Tensor(shape: shape, scalars: state.expAvgSq))]
    }

    public func state(from buffers: ParameterStateBuffers) throws(OptimizerError) -> State {
        var buffers = buffers
        let state = State(step: try buffers.stepCount(), muProduct: try buffers.scalar("mu_product"),
                          expAvg: try buffers.buffer("exp_avg"), expAvgSq: try buffers.buffer("exp_avg_sq"))
        try buffers.requireAllUsed()
        return state
    }
}
