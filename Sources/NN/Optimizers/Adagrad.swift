import NNTensor

/// Adagrad (Duchi et al.), exactly as `torch.optim.Adagrad` (single-tensor path, dense gradients):
///
///     t += 1;  g = ±grad + weight_decay·p;  clr = lr / (1 + (t − 1)·lr_decay)
///     s = s + g²  (s starts at initial_accumulator_value)
///     p = p − clr · g / (√s + eps)
///
/// PyTorch creates every parameter's state in the constructor; here it is created at the
/// parameter's first update, with the same values.
public final class Adagrad: PerParameterOptimizer {
    public struct State {
        public var step: Int
        /// `sum`: the accumulated squared gradients.
        public var sum: [Float]
    }

    public let parameters: [Variable]
    public var learningRate: Double
    public var stepCount = 0
    public var parameterStates: [State?]
    public let lrDecay: Double
    public let weightDecay: Double
    public let initialAccumulatorValue: Double
    public let eps: Double
    public let maximize: Bool

    public init(_ parameters: [Variable], lr: Double = 0.01, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false) throws(OptimizerError) {
        try require(lr >= 0, "Invalid learning rate: \(lr)")
        try require(lrDecay >= 0, "Invalid lr_decay value: \(lrDecay)")
        try require(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        try require(initialAccumulatorValue >= 0, "Invalid initial_accumulator_value value: \(initialAccumulatorValue)")
        try require(eps >= 0, "Invalid epsilon value: \(eps)")
        self.parameters = parameters
        self.parameterStates = Array(repeating: nil, count: parameters.count)
        self.learningRate = lr
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
        self.maximize = maximize
    }

    public func initialState(elementCount: Int) -> State {
        State(step: 0, sum: [Float](repeating: Float(initialAccumulatorValue), count: elementCount))
    }

    public func applySingle(gradient: UnsafeBufferPointer<Float>, parameter: UnsafeMutableBufferPointer<Float>,
                            state: inout State) {
        state.step += 1
        let sign: Float = maximize ? -1 : 1
        let decay = Float(weightDecay), eps = Float(eps)
        let stepSize = Float(-(learningRate / (1 + Double(state.step - 1) * lrDecay)))
        state.sum.withUnsafeMutableBufferPointer { sum in
            for i in 0..<parameter.count {
                let g = sign * gradient[i] + decay * parameter[i]
                sum[i] += g * g
                parameter[i] += stepSize * (g / (sum[i].squareRoot() + eps))
            }
        }
    }

    public func namedBuffers(of state: State, shape: [Int]) -> [NamedTensor] {
        [NamedTensor("step", Tensor(scalar: Float(state.step))), NamedTensor("sum", Tensor(shape: shape, scalars: state.sum))]
    }

    public func state(from buffers: ParameterStateBuffers) throws(OptimizerError) -> State {
        var buffers = buffers
        let state = State(step: try buffers.stepCount(), sum: try buffers.buffer("sum"))
        try buffers.requireAllUsed()
        return state
    }
}
