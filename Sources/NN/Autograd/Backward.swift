import NNTensor

extension Variable {
    /// Backpropagates from this scalar (one-element) variable with seed 1, accumulating into the
    /// `grad` of every leaf that requires a gradient. `retainGraph` as in `backward(gradient:retainGraph:)`.
    public func backward(retainGraph: Bool = false) throws(NNError) {
        guard value.count == 1 else {
            throw .invalidArgument("backward() needs a scalar output but got shape \(shape); use backward(gradient:)")
        }
        try backward(gradient: Tensor(repeating: 1, shape: shape), retainGraph: retainGraph)
    }

    /// Backpropagates `gradient` (of this variable's shape, PyTorch's `out.backward(gradient)`).
    ///
    /// As in PyTorch, the pass frees what the graph saved for it, each operation (and the pass's
    /// hold on its output) as soon as its rule has run, unless `retainGraph` is true (`retain_graph=True`). A later backward that
    /// reaches a freed operation throws `NNError.freedGraph` before changing any gradient; one
    /// through operations that saved no tensors (reshape, sum, concatenation) works again.
    public func backward(gradient: Tensor, retainGraph: Bool = false) throws(NNError) {
        guard gradient.shape == shape else {
            throw .shapeMismatch("backward gradient has shape \(gradient.shape) but the output has shape \(shape)")
        }
        guard requiresGrad else {
            throw .invalidArgument("backward() on a variable that does not require a gradient (shape \(shape))")
        }
        var order = try topologicalOrder()
        accumulateGradient(gradient)
        while let variable = order.popLast() {
            guard let operation = variable.operation else { continue }
            if let outputGradient = variable.pendingGradient.take() { operation.backward(outputGradient) }
            if !retainGraph && operation.savesTensors { variable.operation = nil }
        }
    }

    /// The computed variables reachable from this one that need a gradient, each after all of
    /// its inputs (iterative depth-first search, so deep graphs cannot overflow the stack).
    /// Throws if one of them was freed by an earlier backward pass.
    private func topologicalOrder() throws(NNError) -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(variable: Variable, inputsPushed: Bool)] = [(self, false)]
        while let (variable, inputsPushed) = stack.popLast() {
            if inputsPushed { order.append(variable); continue }
            guard !variable.isLeaf, visited.insert(ObjectIdentifier(variable)).inserted else { continue }
            guard let operation = variable.operation else {
                throw .freedGraph("Trying to backward through the graph a second time: an earlier backward() freed the values saved "
                                  + "for it (reached at a variable of shape \(variable.shape)); pass retainGraph: true to the earlier "
                                  + "backward to backward through the graph again")
            }
            stack.append((variable, true))
            for input in operation.inputs where !input.isLeaf && input.requiresGrad {
                stack.append((input, false))
            }
        }
        return order
    }
}
