/// The loss of a `TrainingPlan` over planned buffers: one conforming type per kind of loss, with
/// autograd's kernels and messages. output [N, …] → loss [].
protocol PlannedLoss {
    /// Keeps `target` for the next `forward`; throws, with autograd's message and keeping the
    /// previous target, unless it fits the network's output.
    func setTarget(_ target: LossTarget) throws(NNError)
    /// The loss of `output` against the target set last; keeps what `backward` needs.
    func forward(output: UnsafePointer<Float>) -> Float
    /// Writes the gradient of the last forward's loss with respect to the output (seed 1), every element.
    func backward(outputGradient: UnsafeMutablePointer<Float>)
}

extension TrainingPlan {
    /// The planned form of `loss` on the network's `output` shape; throws for a loss it does not plan.
    static func plannedLoss(_ loss: any Loss, output: [Int], memory: PlanMemory) throws(TrainingPlanError) -> any PlannedLoss {
        switch loss {
        case let crossEntropy as CrossEntropyLoss:
            return try PlannedClassificationLoss(crossEntropy, input: output, memory: memory)
        case let meanSquared as MSELoss:
            return try PlannedPointwiseLoss(name: "MSELoss", meanSquared.pointwise, reduction: meanSquared.reduction, input: output, memory: memory)
        case let absolute as L1Loss:
            return try PlannedPointwiseLoss(name: "L1Loss", absolute.pointwise, reduction: absolute.reduction, input: output, memory: memory)
        case let smooth as SmoothL1Loss:
            return try PlannedPointwiseLoss(name: "SmoothL1Loss", smooth.pointwise, reduction: smooth.reduction, input: output, memory: memory)
        default:
            throw .unsupported("\(loss) is not planned (CrossEntropyLoss, MSELoss, L1Loss and SmoothL1Loss are)")
        }
    }
}
