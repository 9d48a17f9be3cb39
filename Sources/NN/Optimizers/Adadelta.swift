import NNTensor

/// Adadelta (Zeiler), exactly as `torch.optim.Adadelta` (single-tensor path):
///
///     g = ±grad + weight_decay·p
///     v = ρ·v + (1 − ρ)·g²;  Δ = √(u + eps) / √(v + eps) · g;  u = ρ·u + (1 − ρ)·Δ²
///     p = p − lr·Δ
///
/// `v` is `square_avg`, `u` is `acc_delta`.
public final class Adadelta: PerParameterOptimizer {
    public struct State {
        public var step: Int
        public var squareAvg: [Float], accDelta: [Float]
    }

    public let parameters: [Variable]
    public var learningRate: Double
    public var stepCount = 0
    public var parameterStates: [State?]
    public let rho: Double
    public let eps: Double
    public let weightDecay: Double
    public let maximize: Bool

    public init(_ parameters: [Variable], lr: Double = 1.0, rho: Double = 0.9, eps: Double = 1e-6,
                weightDecay: Double = 0, maximize: Bool = false) throws(OptimizerError) {
        try require(lr >= 0, "Invalid learning rate: \(lr)")
        try require((0...1).contains(rho), "Invalid rho value: \(rho)")
        try require(eps >= 0, "Invalid epsilon value: \(eps)")
        try require(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        self.parameters = parameters
        self.parameterStates = Array(repeating: nil, count: parameters.count)
        self.learningRate = lr
        self.rho = rho
        self.eps = eps
        self.weightDecay = weightDecay
        self.maximize = maximize
    }

    public func initialState(elementCount: Int) -> State {
        let zeros = [Float](repeating: 0, count: elementCount)
        return State(step: 0, squareAvg: zeros, accDelta: zeros)
    }

    public func applySingle(gradient: UnsafeBufferPointer<Float>, parameter: UnsafeMutableBufferPointer<Float>,
                            state: inout State) {
        state.step += 1
        let sign: Float = maximize ? -1 : 1
        let (decay, rho, keep) = (Float(weightDecay), Float(rho), Float(1 - rho))
        let (eps, lr) = (Float(eps), Float(learningRate))
        state.squareAvg.withUnsafeMutableBufferPointer { v in
            state.accDelta.withUnsafeMutableBufferPointer { u in
                for i in 0..<parameter.count {
                    let g = sign * gradient[i] + decay * parameter[i]
                    v[i] = v[i] * rho + keep * g * g
                    let delta = (u[i] + eps).squareRoot() / (v[i] + eps).squareRoot() * g
                    u[i] = u[i] * rho + keep * delta * delta
                    parameter[i] += -lr * delta
                }
            }
        }
    }

    public func namedBuffers(of state: State, shape: [Int]) -> [NamedTensor] {
        [NamedTensor("step", Tensor(scalar: Float(state.step))),
         NamedTensor("square_avg", Tensor(shape: shape, scalars: state.squareAvg)),
         NamedTensor("acc_delta", Tensor(shape: shape, scalars: state.accDelta))]
    }

    public func state(from buffers: ParameterStateBuffers) throws(OptimizerError) -> State {
        var buffers = buffers
        let state = State(step: try buffers.stepCount(), squareAvg: try buffers.buffer("square_avg"),
                          accDelta: try buffers.buffer("acc_delta"))
        try buffers.requireAllUsed()
        return state
    }
}
