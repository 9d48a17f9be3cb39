import NNTensor

/// An elementwise loss (MSELoss, L1Loss, SmoothL1Loss) over planned buffers, as autograd's
/// `pointwiseLoss`: each element's loss and derivative from `evaluatePointwiseLoss`, the losses
/// summed in order (divided by the count for the mean), dx = ∂ℓ/∂x · (1 or 1/count).
/// input [*], target [*] → loss [].
final class PlannedPointwiseLoss: PlannedLoss {
    private let name: String
    private let loss: PointwiseLoss
    private let reduction: Reduction
    private let inputShape: [Int]
    private let count: Int
    /// Each element's loss and derivative in the last forward pass.
    private let losses: UnsafeMutablePointer<Float>, derivatives: UnsafeMutablePointer<Float>
    /// The target values of the next forward pass.
    private var target = Tensor(zeros: [0])

    /// Throws when the reduction is `none`.
    init(name: String, _ loss: PointwiseLoss, reduction: Reduction, input: [Int], memory: PlanMemory) throws(TrainingPlanError) {
        guard reduction != .none else {
            throw .unsupported("\(name) with reduction 'none' gives one loss per element, not a scalar to train on")
        }
        self.name = name
        self.loss = loss
        self.reduction = reduction
        inputShape = input
        count = input.elementCount
        (losses, derivatives) = (memory.floats(count), memory.floats(count))
    }

    func setTarget(_ target: LossTarget) throws(NNError) {
        self.target = try valueTarget(target, inputShape: inputShape, name)
    }

    func forward(output: UnsafePointer<Float>) -> Float {
        target.scalars.withUnsafeBufferPointer { y in
            evaluatePointwiseLoss(loss, UnsafeBufferPointer(start: output, count: count), y,
                                  UnsafeMutableBufferPointer(start: losses, count: count),
                                  UnsafeMutableBufferPointer(start: derivatives, count: count))
        }
        var total: Float = 0
        for index in 0..<count { total += losses[index] }
        return reduction == .mean ? total / Float(count) : total
    }

    func backward(outputGradient: UnsafeMutablePointer<Float>) {
        outputGradient.update(repeating: 0, count: count)
        addScaled(UnsafeMutableBufferPointer(start: outputGradient, count: count), UnsafeBufferPointer(start: derivatives, count: count),
                  scale: reduction == .mean ? 1 / Float(count) : 1)
    }
}
