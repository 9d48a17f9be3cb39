import NN

/// A trainer's training plans, one per batch shape it meets (the full batches and a smaller last
/// one), each made when first needed. A shape the network or loss has no plan for is asked once;
/// its steps run through autograd.
struct TrainingPlans {
    /// nil: no plan for that shape.
    private var plans: [[Int]: TrainingPlan?] = [:]

    /// The plan of `network` with `loss` for inputs of `shape`, or nil when steps on that shape run
    /// through autograd (which also reports a shape the network does not accept).
    mutating func plan(for shape: [Int], network: Module, loss: any Loss) -> TrainingPlan? {
        if let known = plans[shape] { return known }
        let plan = try? TrainingPlan(network: network, loss: loss, inputShape: shape)
        plans[shape] = plan
        return plan
    }
}

/// A forward pass whose backward pass is still to run: through a plan, or through the graph the
/// loss variable ends.
enum PendingBackward {
    case planned(TrainingPlan)
    case recorded(Variable)

    /// Adds the loss's gradient into every parameter's `grad`.
    func run() throws(NNError) {
        switch self {
        case .planned(let plan): plan.backward()
        case .recorded(let loss): try loss.backward()
        }
    }
}
