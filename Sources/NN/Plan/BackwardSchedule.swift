/// The backward pass of a `TrainingPlan` over its nodes: the order autograd's backward pass runs
/// their operations in, and the buffer of each node's gradient, planned once.
///
/// A node's gradient lives from its first contribution (the backward step of the first node that
/// reads it, in this order) to its own backward step; buffers (each of the largest gradient's size)
/// are reused once free, so a chain needs two and each open branch one more. Contributions arrive
/// in autograd's order, so a gradient that several nodes feed (fan-out) is summed in its order.
struct BackwardSchedule {
    /// How a node's backward step contributes to its inputs' gradients.
    enum Rule {
        /// Writes a contribution (a layer whose operation hands over a new tensor).
        case writes
        /// Adds into the gradient where it lies (zero-filled on first use): BatchNorm, the average
        /// poolings, Concat.
        case addsInto
        /// Passes the node's gradient on unchanged (Add, Flatten).
        case passesOn
    }

    /// One node's backward step.
    struct Step {
        let node: Int
        /// The node's output gradient.
        let gradient: UnsafeMutablePointer<Float>
        /// One per input that needs a gradient, in the order the node reads them: the input's
        /// position in the node's inputs, its gradient buffer, and how the contribution arrives.
        let contributions: [(input: Int, gradient: UnsafeMutablePointer<Float>, contribution: GradientContribution)]
    }

    let steps: [Step]
    /// The network output's gradient, which the loss writes.
    let outputGradient: UnsafeMutablePointer<Float>
    /// Room for a written contribution that is then added to the gradient already there (nil when
    /// no step needs it).
    let scratch: UnsafeMutablePointer<Float>?

    /// The schedule from the network's `output` over nodes reading `inputs`, of `sizes` elements,
    /// whose backward steps follow `rules`; only nodes that `requireGradient` get a gradient.
    init(output: Int, inputs: [[Int]], requireGradient: [Bool], sizes: [Int], rules: [Rule], memory: PlanMemory) {
        let largest = sizes.indices.filter { requireGradient[$0] }.map { sizes[$0] }.max() ?? 0
        var free: [UnsafeMutablePointer<Float>] = []
        func buffer() -> UnsafeMutablePointer<Float> { free.popLast() ?? memory.floats(largest) }
        var gradients = [UnsafeMutablePointer<Float>?](repeating: nil, count: inputs.count)
        var needsScratch = false
        outputGradient = buffer()
        gradients[output] = outputGradient
        var steps: [Step] = []
        for node in Self.order(from: output, inputs: inputs, requireGradient: requireGradient) {
            let own = gradients[node]!
            var handedOver = false
            var contributions: [(input: Int, gradient: UnsafeMutablePointer<Float>, contribution: GradientContribution)] = []
            for (position, input) in inputs[node].enumerated() where requireGradient[input] {
                if let existing = gradients[input] {
                    contributions.append((position, existing, .added))
                    needsScratch = needsScratch || rules[node] == .writes
                } else if rules[node] == .passesOn && !handedOver && inputs[node].count(where: { $0 == input }) == 1 {
                    // The node's buffer becomes the input's (only for an input read once, so no later
                    // contribution of this step changes what the other inputs receive).
                    gradients[input] = own
                    handedOver = true
                    contributions.append((position, own, .handedOver))
                } else {
                    gradients[input] = buffer()
                    contributions.append((position, gradients[input]!, .first))
                }
            }
            steps.append(Step(node: node, gradient: own, contributions: contributions))
            if !handedOver { free.append(own) }
        }
        self.steps = steps
        scratch = needsScratch ? memory.floats(largest) : nil
    }

    /// The nodes that need a gradient, each after every node that reads it: the order of
    /// `Variable.backward` (the reverse of `topologicalOrder`'s depth-first post-order, which pushes
    /// a node's inputs in order and so visits the last first), which decides the order in which a
    /// fan-out gradient's contributions are summed.
    static func order(from output: Int, inputs: [[Int]], requireGradient: [Bool]) -> [Int] {
        var order: [Int] = [], visited = Set<Int>()
        var stack = [(node: output, inputsPushed: false)]
        while let (node, inputsPushed) = stack.popLast() {
            if inputsPushed { order.append(node); continue }
            guard requireGradient[node], visited.insert(node).inserted else { continue }
            stack.append((node, true))
            for input in inputs[node] where requireGradient[input] { stack.append((input, false)) }
        }
        return order.reversed()
    }
}
