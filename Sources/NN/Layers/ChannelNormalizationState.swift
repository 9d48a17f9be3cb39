import NNTensor

/// The state of PyTorch's `_NormBase` (batch and instance normalisation) over C channels: weight
/// [C] = 1 and bias [C] = 0 with `affine` (the bias only with `bias`); buffers running_mean [C] = 0,
/// running_var [C] = 1 and num_batches_tracked [] = 0 with `trackRunningStats`.
struct ChannelNormalizationState {
    let weight: Variable?, bias: Variable?
    let runningMean: Variable?, runningVar: Variable?, numBatchesTracked: Variable?

    init(channels: Int, affine: Bool, bias: Bool, trackRunningStats: Bool) {
        weight = affine ? Variable(Tensor(repeating: 1, shape: [channels]), requiresGrad: true) : nil
        self.bias = affine && bias ? Variable(Tensor(zeros: [channels]), requiresGrad: true) : nil
        runningMean = trackRunningStats ? Variable(Tensor(zeros: [channels])) : nil
        runningVar = trackRunningStats ? Variable(Tensor(repeating: 1, shape: [channels])) : nil
        numBatchesTracked = trackRunningStats ? Variable(Tensor(scalar: 0)) : nil
    }

    /// Registers the parameters and buffers on `module` under PyTorch's names, in PyTorch's order.
    func register(on module: Module) {
        if let weight { module.registerParameter("weight", weight) }
        if let bias { module.registerParameter("bias", bias) }
        if let runningMean, let runningVar, let numBatchesTracked {
            module.registerBuffer("running_mean", runningMean)
            module.registerBuffer("running_var", runningVar)
            module.registerBuffer("num_batches_tracked", numBatchesTracked, isInteger: true)
        }
    }
}
