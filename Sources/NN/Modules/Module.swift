import NNTensor

/// A network component with named parameters, buffers and child modules, as `torch.nn.Module`.
///
/// Names are explicit: a layer registers its own parameters (`weight`, `bias`) and buffers
/// (`running_mean` …); a container registers its children under their names (`conv1`, `3`).
/// Full names join the path with dots (`conv1.weight`), in registration order, as PyTorch's
/// `named_parameters()` and `state_dict()`.
///
/// Subclasses override `forward(_ input:)` (one input) or `forward(_ inputs:)` (several: Add,
/// Concat), `typeName` and `extraDescription` (PyTorch's `extra_repr`).
open class Module: CustomStringConvertible {
    private var ownParameters: [(name: String, variable: Variable)] = []
    private var ownBuffers: [(name: String, variable: Variable, isInteger: Bool)] = []
    /// The direct children, in registration order.
    public private(set) var children: [(name: String, module: Module)] = []
    /// Training mode (the default) or evaluation mode; set recursively with `train(_:)` / `eval()`.
    public private(set) var isTraining = true

    public init() {}

    /// The class name printed by `description` (PyTorch's `_get_name()`).
    open var typeName: String { String(describing: type(of: self)) }

    /// The text inside the parentheses of this module's own line (PyTorch's `extra_repr()`).
    open var extraDescription: String { "" }

    /// The number of inputs `forward` takes: 1, or nil for any number (Add, Concat).
    open var inputCount: Int? { 1 }

    /// Computes the output from one input. Single-input modules override this.
    open func forward(_ input: Variable) throws(NNError) -> Variable {
        throw .invalidArgument("\(typeName) does not compute an output from a single input")
    }

    /// Computes the output from the inputs; by default checks there is exactly one and calls
    /// `forward(_ input:)`. Multi-input modules override this.
    open func forward(_ inputs: [Variable]) throws(NNError) -> Variable {
        guard inputs.count == 1 else {
            throw .invalidArgument("\(typeName) takes 1 input but was given \(inputs.count)")
        }
        return try forward(inputs[0])
    }

    /// `module(x)`: the output for one input.
    public func callAsFunction(_ input: Variable) throws(NNError) -> Variable { try forward([input]) }
    /// `module([a, b])`: the output for several inputs (Add, Concat).
    public func callAsFunction(_ inputs: [Variable]) throws(NNError) -> Variable { try forward(inputs) }

    // MARK: Registration

    /// Registers `parameter` (a leaf with `requiresGrad`) under `name`, unique among this
    /// module's own names. Layers create their parameters as stored properties, then register them.
    public func registerParameter(_ name: String, _ parameter: Variable) {
        ownParameters.append((name, parameter))
    }

    /// Registers a buffer: state saved with the weights but not trained (`running_mean`).
    /// `isInteger` marks a counter PyTorch stores as int64 (`num_batches_tracked`).
    public func registerBuffer(_ name: String, _ buffer: Variable, isInteger: Bool = false) {
        ownBuffers.append((name, buffer, isInteger))
    }

    /// Registers `module` as a child under `name` (its parameters become `name.…`).
    public func registerModule(_ name: String, _ module: Module) {
        children.append((name, module))
    }

    // MARK: Named state

    /// Every parameter with its full name, this module's first, then each child's, in order; a
    /// parameter shared by several modules (tied) once, under its first name, as PyTorch's
    /// `named_parameters()` (`state_dict()` lists it under every name).
    public func namedParameters() -> [(name: String, parameter: Variable)] {
        var seen = Set<ObjectIdentifier>()
        return everyNamedParameter().filter { seen.insert(ObjectIdentifier($0.parameter)).inserted }
    }

    /// Every registration of a parameter, a shared (tied) one under each of its names.
    private func everyNamedParameter() -> [(name: String, parameter: Variable)] {
        ownParameters.map { ($0.name, $0.variable) }
            + children.flatMap { child in child.module.everyNamedParameter().map { ("\(child.name).\($0.name)", $0.parameter) } }
    }

    /// Registers `parameter` in place of the parameter called `name`, as PyTorch code's
    /// `self.head.weight = self.tok.weight` (weight tying): the module then computes with it.
    func replaceParameter(_ name: String, with parameter: Variable) {
        guard let index = ownParameters.firstIndex(where: { $0.name == name }) else { return }
        ownParameters[index].variable = parameter
    }

    /// Every parameter, in the order of `namedParameters()` (what an optimizer updates).
    public func parameters() -> [Variable] { namedParameters().map(\.parameter) }

    /// Every buffer with its full name, in the same order.
    public func namedBuffers() -> [(name: String, buffer: Variable)] {
        stateDictionary().filter { $0.kind != .parameter }.map { ($0.name, $0.variable) }
    }

    /// Parameters and buffers in PyTorch's `state_dict()` order: per module its parameters, then
    /// its buffers, then its children's.
    public func stateDictionary() -> [StateEntry] {
        ownParameters.map { StateEntry(name: $0.name, variable: $0.variable, kind: .parameter) }
            + ownBuffers.map { StateEntry(name: $0.name, variable: $0.variable, kind: $0.isInteger ? .integerBuffer : .buffer) }
            + children.flatMap { child in
                child.module.stateDictionary().map { StateEntry(name: "\(child.name).\($0.name)", variable: $0.variable, kind: $0.kind) }
            }
    }

    /// The parameter or buffer called `name` (e.g. `conv1.weight`), or an error listing the names.
    public func state(named name: String) throws(NNError) -> Variable {
        let entries = stateDictionary()
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw .unknownName("no parameter or buffer named '\(name)'; known: \(entries.map(\.name).joined(separator: ", "))")
        }
        return entry.variable
    }

    /// Replaces the value of the parameter or buffer `name` with `tensor` of the same shape.
    public func load(_ tensor: Tensor, into name: String) throws(NNError) {
        let variable = try state(named: name)
        guard tensor.shape == variable.shape else {
            throw .shapeMismatch("cannot load a tensor of shape \(tensor.shape) into '\(name)' of shape \(variable.shape)")
        }
        variable.value = tensor
    }

    /// The number of parameter elements (PyTorch's `sum(p.numel() for p in net.parameters())`).
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.parameter.value.count } }

    // MARK: Modes and gradients

    /// Sets training (true) or evaluation (false) mode on this module and all its descendants.
    public func train(_ mode: Bool = true) {
        isTraining = mode
        for child in children { child.module.train(mode) }
    }

    /// Evaluation mode: BatchNorm uses its running statistics, Dropout passes its input through.
    public func eval() { train(false) }

    /// Clears every parameter's gradient (to nil, as PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for (_, parameter) in namedParameters() { parameter.grad = nil }
    }

    // MARK: Description

    /// One `(name): description` per child, as `print(net)` lists them (ModuleList: runs of equal children as one).
    open var childDescriptions: [String] {
        children.map { "(\($0.name)): \($0.module.description)" }
    }

    /// The module tree as PyTorch's `print(net)`.
    public var description: String {
        let extraLines = extraDescription.isEmpty ? [] : extraDescription.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let childLines = childDescriptions.map { $0.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ") }
        if childLines.isEmpty && extraLines.count <= 1 {
            return "\(typeName)(\(extraLines.first ?? ""))"
        }
        return "\(typeName)(\n  " + (extraLines + childLines).joined(separator: "\n  ") + "\n)"
    }
}

/// One entry of a module's state: a parameter or buffer with its full name.
public struct StateEntry {
    public enum Kind: Sendable, Equatable {
        case parameter
        /// A float32 buffer (`running_mean`, `running_var`).
        case buffer
        /// A counter PyTorch stores as int64 (`num_batches_tracked`), held here as a Float.
        case integerBuffer
    }
    public let name: String
    public let variable: Variable
    public let kind: Kind
}
