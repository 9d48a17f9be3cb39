import NNTensor

/// Batch normalisation over the channel dimension 1, as PyTorch's `_BatchNorm`.
///
/// Training (or without running statistics): normalises with the batch's biased per-channel
/// statistics and, when tracking, updates running_mean/running_var by
/// `running = (1 − momentum)·running + momentum·batch` with the unbiased batch variance
/// (momentum nil: the cumulative average over `num_batches_tracked`). Evaluation: running stats.
/// weight [C] = 1, bias [C] = 0 (with `affine`); buffers running_mean [C] = 0, running_var [C] = 1,
/// num_batches_tracked [] = 0 (with `trackRunningStats`).
public class BatchNormalization: Module {
    public let numFeatures: Int
    public let eps: Double
    /// nil: cumulative moving average (PyTorch's `momentum=None`).
    public let momentum: Double?
    public let affine: Bool, trackRunningStats: Bool
    public let weight: Variable?, bias: Variable?
    public let runningMean: Variable?, runningVar: Variable?, numBatchesTracked: Variable?

    /// The input ranks accepted and their layout, for the error message.
    private let layout: Layout

    /// The inputs a batch-norm layer accepts: [N, C] or [N, C, L] (1-D), [N, C, H, W] (2-D).
    enum Layout {
        case oneDimensional, twoDimensional

        var typeName: String { self == .oneDimensional ? "BatchNorm1d" : "BatchNorm2d" }
        var ranks: [Int] { self == .oneDimensional ? [2, 3] : [4] }
        func text(channels: Int) -> String {
            self == .oneDimensional ? "[N, \(channels)] or [N, \(channels), L]" : "[N, \(channels), H, W]"
        }
    }

    init(numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, bias: Bool, trackRunningStats: Bool,
         layout: Layout) throws(NNError) {
        try requirePositive([("num_features", numFeatures)], in: layout.typeName)
        self.layout = layout
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        weight = affine ? Variable(Tensor(repeating: 1, shape: [numFeatures]), requiresGrad: true) : nil
        self.bias = affine && bias ? Variable(Tensor(zeros: [numFeatures]), requiresGrad: true) : nil
        runningMean = trackRunningStats ? Variable(Tensor(zeros: [numFeatures])) : nil
        runningVar = trackRunningStats ? Variable(Tensor(repeating: 1, shape: [numFeatures])) : nil
        numBatchesTracked = trackRunningStats ? Variable(Tensor(scalar: 0)) : nil
        super.init()
        if let weight { registerParameter("weight", weight) }
        if let bias = self.bias { registerParameter("bias", bias) }
        if let runningMean, let runningVar, let numBatchesTracked {
            registerBuffer("running_mean", runningMean)
            registerBuffer("running_var", runningVar)
            registerBuffer("num_batches_tracked", numBatchesTracked, isInteger: true)
        }
    }

    override public var extraDescription: String {
        normalizationDescription(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias != nil,
                                 trackRunningStats: trackRunningStats)
    }

    /// Throws unless `shape` has the layout's rank and C channels.
    func checkInput(_ shape: [Int]) throws(NNError) {
        guard layout.ranks.contains(shape.count) else {
            throw .shapeMismatch("\(typeName) expects input \(layout.text(channels: numFeatures)) but got \(shape)")
        }
        guard shape[1] == numFeatures else {
            throw .shapeMismatch("\(typeName)(\(numFeatures)) expects \(numFeatures) channels in dim 1 but got input \(shape)")
        }
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        try checkInput(input.shape)
        let useBatchStatistics = isTraining || !trackRunningStats
        let valuesPerChannel = input.value.count / numFeatures
        if isTraining && valuesPerChannel <= 1 {
            throw .shapeMismatch("\(typeName): expected more than 1 value per channel when training, got input \(input.shape)")
        }
        let statistics: NormalizationStatistics = if useBatchStatistics {
            .batch
        } else {
            .running(mean: runningMean!.value, variance: runningVar!.value)
        }
        let (output, batchMean, batchVariance) = batchNorm(input, weight: weight, bias: bias, statistics: statistics, eps: Float(eps))
        if isTraining {
            batchMean.scalars.withUnsafeBufferPointer { mean in
                batchVariance.scalars.withUnsafeBufferPointer { variance in
                    updateRunningStatistics(batchMean: mean.baseAddress!, batchVariance: variance.baseAddress!, valuesPerChannel: valuesPerChannel)
                }
            }
        }
        return output
    }

    /// In training mode, after a batch with per-channel biased `batchMean` and `batchVariance` [C]
    /// over `valuesPerChannel` (> 1) values each: one more tracked batch, and the running statistics
    /// moved towards the batch's (the variance unbiased).
    func updateRunningStatistics(batchMean: UnsafePointer<Float>, batchVariance: UnsafePointer<Float>, valuesPerChannel: Int) {
        guard let runningMean, let runningVar, let numBatchesTracked else { return }
        numBatchesTracked.value.scalars[0] += 1
        let factor = Float(momentum ?? 1 / Double(numBatchesTracked.value.scalars[0]))
        let unbiasing = Float(valuesPerChannel) / Float(valuesPerChannel - 1)
        for channel in 0..<numFeatures {
            runningMean.value.scalars[channel] = (1 - factor) * runningMean.value.scalars[channel] + factor * batchMean[channel]
            runningVar.value.scalars[channel] = (1 - factor) * runningVar.value.scalars[channel] + factor * batchVariance[channel] * unbiasing
        }
    }
}

/// Batch normalisation of input [N, C] or [N, C, L] over N (and L), as `nn.BatchNorm1d`.
public final class BatchNorm1d: BatchNormalization {
    public init(numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, bias: Bool = true,
                trackRunningStats: Bool = true) throws(NNError) {
        try super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                       trackRunningStats: trackRunningStats, layout: .oneDimensional)
    }
}

/// Batch normalisation of input [N, C, H, W] over N, H and W, as `nn.BatchNorm2d`.
public final class BatchNorm2d: BatchNormalization {
    public init(numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, bias: Bool = true,
                trackRunningStats: Bool = true) throws(NNError) {
        try super.init(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias,
                       trackRunningStats: trackRunningStats, layout: .twoDimensional)
    }
}

/// PyTorch's `_NormBase.extra_repr` (batch and instance normalisation):
/// `3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True`.
func normalizationDescription(numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, bias: Bool,
                              trackRunningStats: Bool) -> String {
    "\(numFeatures), eps=\(PythonRepr.float(eps)), momentum=\(momentum.map(PythonRepr.float) ?? "None"), "
        + "affine=\(PythonRepr.bool(affine)), bias=\(PythonRepr.bool(bias)), track_running_stats=\(PythonRepr.bool(trackRunningStats))"
}
