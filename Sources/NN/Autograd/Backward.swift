import NNTensor

extension Variable {
    /// Backpropagates from this scalar (one-element) variable with seed 1, accumulating into the
    /// `grad` of every leaf that requires a gradient.
    public func backward() throws(NNError) {
        guard value.count == 1 else {
            throw .invalidArgument("backward() needs a scalar output but got shape \(shape); use backward(gradient:)")
        }
        try backward(gradient: Tensor(repeating: 1, shape: shape))
    }

    /// Backpropagates `gradient` (of this variable's shape, PyTorch's `out.backward(gradient)`).
    /// The graph stays valid afterwards: a second backward through it accumulates again (PyTorch
    /// would need `retain_graph=True`). It is freed when the output is released.
    public func backward(gradient: Tensor) throws(NNError) {
        guard gradient.shape == shape else {
            throw .shapeMismatch("backward gradient has shape \(gradient.shape) but the output has shape \(shape)")
        }
        guard requiresGrad else {
            throw .invalidArgument("backward() on a variable that does not require a gradient (shape \(shape))")
        }
        let order = topologicalOrder()
        accumulateGradient(gradient)
        for variable in order.reversed() {
            guard let operation = variable.operation, let outputGradient = variable.pendingGradient else { continue }
            variable.pendingGradient = nil
            operation.backward(outputGradient)
        }
    }

    /// The computed variables reachable from this one that need a gradient, each after all of
    /// its inputs (iterative depth-first search, so deep graphs cannot overflow the stack).
    private func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(variable: Variable, inputsPushed: Bool)] = [(self, false)]
        while let (variable, inputsPushed) = stack.popLast() {
            if inputsPushed { order.append(variable); continue }
            guard let operation = variable.operation,
                  visited.insert(ObjectIdentifier(variable)).inserted else { continue }
            stack.append((variable, true))
            for input in operation.inputs where input.operation != nil && input.requiresGrad {
                stack.append((input, false))
            }
        }
        return order
    }
}
