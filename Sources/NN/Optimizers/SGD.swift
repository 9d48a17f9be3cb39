import NNTensor

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
/// decay, exactly as `torch.optim.SGD`:
///
///     g = ±grad + weight_decay·p
///     b = g (first step) | momentum·b + (1 − dampening)·g
///     g = g + momentum·b (nesterov) | b
///     p = p − lr·g
///
/// One deviation: a momentum value below `Float.leastNormalMagnitude` (1.2e-38) is stored as 0, as
/// under flush-to-zero. Units that stop receiving gradients (dead ReLUs) decay their momentum into
/// subnormal numbers, which x86 CPUs process about 100× slower: after a few hundred steps of LeNet
/// at batch 1 most of the buffer was subnormal and the update took two thirds of the step.
/// PyTorch keeps the subnormals; the parameters differ by at most lr · 1.2e-38.
public final class SGD: PerParameterOptimizer {
    public struct State {
        /// `momentum_buffer`; nil when momentum is 0.
        public var momentumBuffer: [Float]?
    }

    public let parameters: [Variable]
    public var learningRate: Double
    public var stepCount = 0
    public var parameterStates: [State?]
    /// Changed between steps by OneCycleLR's momentum cycle.
    public var momentum: Double
    public let dampening: Double
    public let weightDecay: Double
    public let nesterov: Bool
    public let maximize: Bool

    public init(_ parameters: [Variable], lr: Double = 0.001, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false) throws(OptimizerError) {
        try require(lr >= 0, "Invalid learning rate: \(lr)")
        try require(momentum >= 0, "Invalid momentum value: \(momentum)")
        try require(weightDecay >= 0, "Invalid weight_decay value: \(weightDecay)")
        try require(!nesterov || (momentum > 0 && dampening == 0),
                    "Nesterov momentum requires a momentum and zero dampening (momentum \(momentum), dampening \(dampening))")
        self.parameters = parameters
        self.parameterStates = Array(repeating: nil, count: parameters.count)
        self.learningRate = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.maximize = maximize
    }

    public func initialState(elementCount: Int) -> State {
        State(momentumBuffer: nil)
    }

    public func applySingle(gradient: UnsafeBufferPointer<Float>, parameter: UnsafeMutableBufferPointer<Float>,
                            state: inout State) {
        guard let first = parameter.baseAddress, let firstGradient = gradient.baseAddress else {
            state.momentumBuffer = momentum == 0 ? nil : []
            return
        }
        var rule = SGDUpdate(gradient: firstGradient, parameter: first, momentumBuffer: nil,
                             sign: maximize ? -1 : 1, weightDecay: Float(weightDecay), learningRate: Float(learningRate),
                             momentum: Float(momentum), keep: Float(1 - dampening), nesterov: nesterov,
                             isFirstStep: state.momentumBuffer == nil)
        guard momentum != 0 else { return rule.apply(count: parameter.count) }
        var buffer = state.momentumBuffer.take() ?? [Float](repeating: 0, count: parameter.count)
        buffer.withUnsafeMutableBufferPointer { buffer in
            rule.momentumBuffer = buffer.baseAddress!
            rule.apply(count: parameter.count)
        }
        state.momentumBuffer = buffer
    }

    public func namedBuffers(of state: State, shape: [Int]) -> [NamedTensor] {
        state.momentumBuffer.map { [NamedTensor("momentum_buffer", Tensor(shape: shape, scalars: $0))] } ?? []
    }

    public func state(from buffers: ParameterStateBuffers) throws(OptimizerError) -> State {
        var buffers = buffers
        let state = State(momentumBuffer: momentum == 0 ? try buffers.optionalBuffer("momentum_buffer")
                                                        : try buffers.buffer("momentum_buffer"))
        try buffers.requireAllUsed()
        return state
    }
}

/// One parameter's SGD update over pointers: the parameter, its gradient and (with momentum) its
/// momentum buffer, all of the same count.
private struct SGDUpdate {
    let gradient: UnsafePointer<Float>, parameter: UnsafeMutablePointer<Float>
    /// nil without momentum.
    var momentumBuffer: UnsafeMutablePointer<Float>?
    let sign: Float, weightDecay: Float, learningRate: Float, momentum: Float, keep: Float
    let nesterov: Bool, isFirstStep: Bool

    /// Elements per thread below which the update runs on one thread. A large parameter's update
    /// streams its three buffers from L3, and one core of a server CPU draws far less bandwidth
    /// from it than two.
    private static let minimumChunk = 16384

    /// Updates elements `0..<count`, in chunks over the worker pool when there are many (each
    /// element's update is independent, so the split changes no result).
    func apply(count: Int) {
        WorkerPool.shared.forEachChunk(of: count, minimumChunk: Self.minimumChunk, context: self) { rule, chunk in
            rule.apply(chunk)
        }
    }

    private func apply(_ elements: Range<Int>) {
        // Copied into locals: the stores through the pointers could alias this struct's fields,
        // which would keep the loops from being vectorised.
        let (gradient, parameter, sign, weightDecay, lr) = (gradient, parameter, sign, weightDecay, learningRate)
        guard let buffer = momentumBuffer else {
            for i in elements {
                let g = sign * gradient[i] + weightDecay * parameter[i]
                parameter[i] += -lr * g
            }
            return
        }
        let (momentum, keep, nesterov, isFirstStep) = (momentum, keep, nesterov, isFirstStep)
        for i in elements {
            let g = sign * gradient[i] + weightDecay * parameter[i]
            let update = isFirstStep ? g : momentum * buffer[i] + keep * g
            let b = abs(update) < Float.leastNormalMagnitude ? 0 : update
            buffer[i] = b
            parameter[i] += -lr * (nesterov ? g + momentum * b : b)
        }
    }
}
