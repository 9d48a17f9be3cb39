import NNTensor

/// RMSprop (Hinton), optionally centered and with momentum, exactly as `torch.optim.RMSprop`:
///
///     g = ±grad + weight_decay·p;  s = α·s + (1 − α)·g²
///     centered: ḡ = lerp(ḡ, g, 1 − α);  d = √(s − ḡ²) + eps,  else d = √s + eps
///     momentum > 0: b = momentum·b + g/d;  p = p − lr·b,  else p = p − lr·g/d
public final class RMSprop: PerParameterOptimizer {
    public struct State {
        public var step: Int
        /// `square_avg`; `grad_avg` when centered; `momentum_buffer` when momentum > 0.
        public var squareAvg: [Float], gradAvg: [Float]?, momentumBuffer: [Float]?
    }

    public let parameters: [Variable]
    public var learningRate: Double
    public var stepCount = 0
    public var parameterStates: [State?]
    public let alpha: Double
    public let eps: Double
    public let weightDecay: Double
    /// Changed between steps by OneCycleLR's momentum cycle.
    public var momentum: Double
    public let centered: Bool
    public let maximize: Bool

    public init(_ parameters: [Variable], lr: Double = 0.01, alpha: Double = 0.99, eps: Double = 1e-8,
                weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false,
                maximize: Bool = false) throws(OptimizerError) {
        try require(lr >= 0, "Invalid learning rate: \(lr)")
        try require(eps >= 0, "Invalid epsilon value: \(eps)")
        try require(momentum >= 0, "Invalid momentum value: \(momentum)")
        try require(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        try require(alpha >= 0, "Invalid alpha value: \(alpha)")
        self.parameters = parameters
        self.parameterStates = Array(repeating: nil, count: parameters.count)
        self.learningRate = lr
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        self.maximize = maximize
    }

    public func initialState(elementCount: Int) -> State {
        let zeros = [Float](repeating: 0, count: elementCount)
        return State(step: 0, squareAvg: zeros, gradAvg: centered ? zeros : nil,
                     momentumBuffer: momentum > 0 ? zeros : nil)
    }

    public func applySingle(gradient: UnsafeBufferPointer<Float>, parameter: UnsafeMutableBufferPointer<Float>,
                            state: inout State) {
        state.step += 1
        let sign: Float = maximize ? -1 : 1
        let weightDecay = Float(weightDecay), alpha = Float(alpha), averageWeight = Float(1 - self.alpha)
        let eps = Float(eps), lr = Float(learningRate), momentum = Float(momentum)
        var gradAvg = state.gradAvg.take() ?? []
        var momentumBuffer = state.momentumBuffer.take() ?? []
        state.squareAvg.withUnsafeMutableBufferPointer { s in
            gradAvg.withUnsafeMutableBufferPointer { gMean in
                momentumBuffer.withUnsafeMutableBufferPointer { b in
                    for i in 0..<parameter.count {
                        let g = sign * gradient[i] + weightDecay * parameter[i]
                        s[i] = alpha * s[i] + averageWeight * g * g
                        var variance = s[i]
                        if !gMean.isEmpty {
                            gMean[i] = lerp(gMean[i], g, weight: averageWeight)
                            variance = s[i] - gMean[i] * gMean[i]
                        }
                        let denominator = variance.squareRoot() + eps
                        if b.isEmpty {
                            parameter[i] += -lr * (g / denominator)
                        } else {
                            b[i] = momentum * b[i] + g / denominator
                            parameter[i] += -lr * b[i]
                        }
                    }
                }
            }
        }
        if centered { state.gradAvg = gradAvg }
        if self.momentum > 0 { state.momentumBuffer = momentumBuffer }
    }

    public func namedBuffers(of state: State, shape: [Int]) -> [NamedTensor] {
        var buffers = [
            NamedTensor("step", Tensor(scalar: Float(state.step))),
            NamedTensor("square_avg", Tensor(shape: shape, scalars: state.squareAvg)),
        ]
        if let momentumBuffer = state.momentumBuffer {
            buffers.append(NamedTensor("momentum_buffer", Tensor(shape: shape, scalars: momentumBuffer)))
        }
        if let gradAvg = state.gradAvg {
            buffers.append(NamedTensor("grad_avg", Tensor(shape: shape, scalars: gradAvg)))
        }
        return buffers
    }

    public func state(from buffers: ParameterStateBuffers) throws(OptimizerError) -> State {
        var buffers = buffers
        let state = State(step: try buffers.stepCount(), squareAvg: try buffers.buffer("square_avg"),
                          gradAvg: centered ? try buffers.buffer("grad_avg") : nil,
                          momentumBuffer: momentum > 0 ? try buffers.buffer("momentum_buffer") : nil)
        try buffers.requireAllUsed()
        return state
    }
}
