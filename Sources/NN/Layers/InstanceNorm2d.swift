import NNTensor

/// Instance normalisation, as `nn.InstanceNorm2d`: each image's channel normalised over its H·W
/// positions, then y·weight[c] + bias[c] (with `affine`). input [N, C, H, W] → the same shape.
///
/// With `trackRunningStats`, training moves running_mean/running_var [C] towards the batch's average
/// over images of each instance's mean and unbiased variance (`momentum`; PyTorch's None is 0, so
/// they stay), and evaluation normalises with them. num_batches_tracked is kept as PyTorch keeps it
/// (registered, never counted). weight [C] = 1, bias [C] = 0; running_mean 0, running_var 1.
public final class InstanceNorm2d: Module {
    public let numFeatures: Int
    public let eps: Double
    public let momentum: Double?
    public let affine: Bool, trackRunningStats: Bool
    public let weight: Variable?, bias: Variable?
    public let runningMean: Variable?, runningVar: Variable?

    public init(numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = false, trackRunningStats: Bool = false,
                bias: Bool = true) throws(NNError) {
        try requirePositive([("num_features", numFeatures)], in: "InstanceNorm2d")
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        let state = ChannelNormalizationState(channels: numFeatures, affine: affine, bias: bias, trackRunningStats: trackRunningStats)
        (weight, self.bias, runningMean, runningVar) = (state.weight, state.bias, state.runningMean, state.runningVar)
        super.init()
        state.register(on: self)
    }

    override public var extraDescription: String {
        normalizationDescription(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias != nil,
                                 trackRunningStats: trackRunningStats)
    }

    /// Throws autograd's error unless `shape` is [N, num_features, H, W] with more than one position
    /// when the input's own statistics normalise it.
    func checkInput(_ shape: [Int]) throws(NNError) {
        guard shape.count == 4, shape[1] == numFeatures else {
            throw .shapeMismatch("InstanceNorm2d(\(numFeatures)) expects input [N, \(numFeatures), H, W] but got \(shape)")
        }
        if usesInputStatistics && shape[2] * shape[3] <= 1 {
            throw .shapeMismatch("InstanceNorm2d: expected more than 1 spatial element when training, got input \(shape)")
        }
    }

    /// Whether each instance is normalised with its own statistics (training, or no running ones).
    var usesInputStatistics: Bool { isTraining || !trackRunningStats }

    /// The instances as the channels of a one-image batch normalisation: [N, C, H, W] viewed as
    /// [1, N·C, H·W], as PyTorch's `instance_norm`.
    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        let shape = input.shape
        try checkInput(shape)
        let (batch, positions) = (shape[0], shape[2] * shape[3])
        guard batch > 0 else { return input }
        let statistics: NormalizationStatistics = if usesInputStatistics {
            .batch
        } else {
            .running(mean: Tensor(shape: [batch * numFeatures]) { copyRunningStatistic(runningMean!, images: batch, into: $0.baseAddress!) },
                     variance: Tensor(shape: [batch * numFeatures]) { copyRunningStatistic(runningVar!, images: batch, into: $0.baseAddress!) })
        }
        let instances = try reshape(input, to: [1, batch * numFeatures, positions])
        let (output, mean, variance) = batchNorm(instances, weight: nil, bias: nil, statistics: statistics, eps: Float(eps))
        if isTraining {
            mean.scalars.withUnsafeBufferPointer { mean in
                variance.scalars.withUnsafeBufferPointer { variance in
                    updateRunningStatistics(instanceMean: mean.baseAddress!, instanceVariance: variance.baseAddress!, batch: batch,
                                            positions: positions)
                }
            }
        }
        let normalized = try reshape(output, to: shape)
        guard let weight else { return normalized }
        return channelAffine(normalized, weight: weight, bias: bias)
    }

    /// The running statistic [C] once per image: [images·C].
    func copyRunningStatistic(_ statistic: Variable, images: Int, into instances: UnsafeMutablePointer<Float>) {
        statistic.withValue { values in
            for image in 0..<images { (instances + image * numFeatures).update(from: values, count: numFeatures) }
        }
    }

    /// With running statistics: running = (1 − momentum)·running + momentum·(the images' average of
    /// each instance's statistic), the variance unbiased over the `positions` of an instance; momentum
    /// None is 0. instanceMean, instanceVariance [N·C].
    func updateRunningStatistics(instanceMean: UnsafePointer<Float>, instanceVariance: UnsafePointer<Float>, batch: Int, positions: Int) {
        guard let runningMean, let runningVar else { return }
        let factor = Float(momentum ?? 0), unbiasing = Float(positions) / Float(positions - 1)
        for channel in 0..<numFeatures {
            var meanSum: Float = 0, varianceSum: Float = 0
            for image in 0..<batch {
                meanSum += (1 - factor) * runningMean.value.scalars[channel] + factor * instanceMean[image * numFeatures + channel]
                varianceSum += (1 - factor) * runningVar.value.scalars[channel]
                    + factor * instanceVariance[image * numFeatures + channel] * unbiasing
            }
            runningMean.value.scalars[channel] = meanSum / Float(batch)
            runningVar.value.scalars[channel] = varianceSum / Float(batch)
        }
    }
}
