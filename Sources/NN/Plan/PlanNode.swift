/// One node of a `TrainingPlan`: what computes its output, the nodes it reads, its shape and buffer.
struct PlanNode {
    /// What computes the node's output.
    enum Step {
        /// The network's input, read where it lies.
        case input
        /// Flatten or Reshape: the input's buffer under another shape.
        case reshape
        case layer(any PlannedLayer)
        /// Add (and a ReLU that alone reads it).
        case sum(PlannedSum)
        /// Concat.
        case concatenation(PlannedConcatenation)
        /// Computed inside a later node's fused layer (a Conv2d or ReLU before a MaxPool2d, a BatchNorm
        /// before a ReLU, an Add before a ReLU); never read.
        case fused
    }

    let step: Step
    /// Earlier nodes, in the order the node reads them.
    let inputs: [Int]
    let shape: [Int]
    /// Whether the node's own module has parameters (a fused layer: the convolution's).
    let hasParameters: Bool
    /// The output's buffer; nil for the network's input (and a reshape of it) and for a fused node.
    var activation: UnsafeMutablePointer<Float>?

    var count: Int { shape.elementCount }

    /// How the node's backward step reaches its inputs' gradients.
    var gradientRule: BackwardSchedule.Rule {
        switch step {
        case .layer(let layer): layer.addsIntoInputGradient ? .addsInto : .writes
        case .sum, .reshape: .passesOn
        case .concatenation: .addsInto
        case .input, .fused: .writes
        }
    }
}
