import NNTensor

/// An optimizer given by its rule for one parameter (mlx-swift's `applySingle`): the loop over
/// parameters, lazily created per-parameter state, `zeroGrad` and state export live once, in this
/// protocol's extension.
public protocol PerParameterOptimizer: Optimizer {
    /// One parameter's buffers (momentum, moment estimates …) and step count.
    associatedtype State

    /// State per parameter, nil until the parameter's first update.
    var parameterStates: [State?] { get set }

    /// The state before a parameter's first update.
    func initialState(elementCount: Int) -> State
    /// Updates one parameter in place from its gradient (both of `count` elements).
    func applySingle(gradient: UnsafeBufferPointer<Float>, parameter: UnsafeMutableBufferPointer<Float>,
                     state: inout State)
    /// The state's buffers under PyTorch's names, each of the parameter's `shape` (`step` is a scalar).
    func namedBuffers(of state: State, shape: [Int]) -> [NamedTensor]
    /// Rebuilds a state from `namedBuffers(of:shape:)`'s output.
    func state(from buffers: ParameterStateBuffers) throws(OptimizerError) -> State
}

extension PerParameterOptimizer {
    public func step() throws(OptimizerError) {
        for (index, parameter) in parameters.enumerated() {
            if let gradient = parameter.grad, gradient.shape != parameter.value.shape {
                throw .gradientShapeMismatch(parameterIndex: index, parameterShape: parameter.value.shape,
                                             gradientShape: gradient.shape)
            }
        }
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.grad else { continue }
            // Taken out of the array so its buffers are uniquely referenced and mutate in place.
            var state = parameterStates[index].take() ?? initialState(elementCount: gradient.count)
            gradient.scalars.withUnsafeBufferPointer { gradient in
                parameter.value.scalars.withUnsafeMutableBufferPointer { value in
                    applySingle(gradient: gradient, parameter: value, state: &state)
                }
            }
            parameterStates[index] = state
        }
        stepCount += 1
    }

    public func zeroGrad() {
        for parameter in parameters { parameter.grad = nil }
    }

    public func stateTensors() -> [NamedTensor] {
        zip(parameters, parameterStates).enumerated().flatMap { index, pair in
            pair.1.map { state in
                namedBuffers(of: state, shape: pair.0.value.shape).map { NamedTensor("\(index).\($0.name)", $0.tensor) }
            } ?? []
        }
    }

    public func loadStateTensors(_ tensors: [NamedTensor], namePrefix: String) throws(OptimizerError) {
        var buffersByIndex: [Int: [String: Tensor]] = [:]
        for named in tensors {
            // Only the names `stateTensors` writes: a bare decimal index (not ".2", "+2" or "02"), a dot, a buffer.
            let parts = named.name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), String(index) == parts[0], parameters.indices.contains(index) else {
                throw .invalidState("optimizer state '\(namePrefix)\(named.name)' does not name one of the \(parameters.count) parameters as '\(namePrefix)<index>.<buffer>'")
            }
            buffersByIndex[index, default: [:]][String(parts[1])] = named.tensor
        }
        var states = [State?](repeating: nil, count: parameters.count)
        for (index, buffers) in buffersByIndex {
            states[index] = try state(from: ParameterStateBuffers(
                parameterIndex: index, shape: parameters[index].value.shape, buffers: buffers, namePrefix: namePrefix))
        }
        parameterStates = states
    }

    public func requireStateForEveryParameter(namePrefix: String) throws(OptimizerError) {
        for (index, parameter) in parameters.enumerated() where parameterStates[index] == nil {
            // An optimizer whose state has no buffers (SGD without momentum) accepts none here.
            _ = try state(from: ParameterStateBuffers(parameterIndex: index, shape: parameter.value.shape, buffers: [:],
                                                      namePrefix: namePrefix))
        }
    }
}

/// One parameter's exported state buffers, read back with checks that name what is wrong.
public struct ParameterStateBuffers {
    public let parameterIndex: Int
    /// The parameter's shape, which every buffer but `step` must have.
    public let shape: [Int]
    private var remaining: [String: Tensor]
    /// What the messages put before a buffer's name `<index>.<buffer>`.
    private let namePrefix: String

    init(parameterIndex: Int, shape: [Int], buffers: [String: Tensor], namePrefix: String) {
        self.parameterIndex = parameterIndex
        self.shape = shape
        self.remaining = buffers
        self.namePrefix = namePrefix
    }

    /// The buffer `name`'s tensor name as the user sees it.
    private func fullName(_ name: String) -> String { "\(namePrefix)\(parameterIndex).\(name)" }

    /// The buffer `name`, of the parameter's shape; nil if absent.
    public mutating func optionalBuffer(_ name: String) throws(OptimizerError) -> [Float]? {
        guard let tensor = remaining.removeValue(forKey: name) else { return nil }
        guard tensor.shape == shape else {
            throw .invalidState("optimizer state '\(fullName(name))' has shape \(tensor.shape) but parameter \(parameterIndex) has shape \(shape)")
        }
        return tensor.scalars
    }

    /// The buffer `name`, of the parameter's shape.
    public mutating func buffer(_ name: String) throws(OptimizerError) -> [Float] {
        guard let scalars = try optionalBuffer(name) else {
            throw .invalidState("optimizer state for parameter \(parameterIndex) lacks '\(fullName(name))'")
        }
        return scalars
    }

    /// The one-element `step` count (a float tensor, as PyTorch stores it).
    public mutating func stepCount() throws(OptimizerError) -> Int {
        guard let tensor = remaining.removeValue(forKey: "step") else {
            throw .invalidState("optimizer state for parameter \(parameterIndex) lacks '\(fullName("step"))'")
        }
        guard tensor.count == 1, let step = Int(exactly: tensor.scalars[0]), step >= 0 else {
            throw .invalidState("optimizer state '\(fullName("step"))' must be one non-negative integer, got \(tensor)")
        }
        return step
    }

    /// The one-element buffer `name` (NAdam's `mu_product`), which must be finite.
    public mutating func scalar(_ name: String) throws(OptimizerError) -> Float {
        guard let tensor = remaining.removeValue(forKey: name) else {
            throw .invalidState("optimizer state for parameter \(parameterIndex) lacks '\(fullName(name))'")
        }
        guard tensor.count == 1, tensor.scalars[0].isFinite else {
            throw .invalidState("optimizer state '\(fullName(name))' must be one finite number, got \(tensor)")
        }
        return tensor.scalars[0]
    }

    /// Throws if a buffer was given that the optimizer does not use.
    public func requireAllUsed() throws(OptimizerError) {
        if let unknown = remaining.keys.sorted().first {
            throw .invalidState("optimizer state '\(fullName(unknown))' is not a buffer of this optimizer")
        }
    }
}

extension PerParameterOptimizer {
    /// A state's buffers as `namedBuffers(of:shape:)` gives them: `step` (a scalar), then each
    /// per-element buffer of the parameter's `shape` that the state holds (nil: left out).
    func steppedBuffers(_ step: Int, shape: [Int], _ buffers: KeyValuePairs<String, [Float]?>) -> [NamedTensor] {
        [NamedTensor("step", Tensor(scalar: Float(step)))]
            + buffers.compactMap { name, scalars in scalars.map { NamedTensor(name, Tensor(shape: shape, scalars: $0)) } }
    }
}
