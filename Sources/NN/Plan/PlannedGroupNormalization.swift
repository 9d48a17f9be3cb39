import NNTensor

/// GroupNorm and InstanceNorm2d over planned buffers, through the loops autograd runs for them: each
/// image's group of channels normalised as one channel of a one-image batch normalisation of
/// [1, N·groups, C/groups·S] (`BatchNormShape`, weight and bias absent), then, with affine parameters,
/// y·weight[c] + bias[c] as batch normalisation's arithmetic with mean 0 and σ⁻¹ 1 (`channelAffine`).
/// An InstanceNorm2d with running statistics updates them in training mode and normalises with them
/// in evaluation mode, as its forward pass does. input [N, C, *] → output [N, C, *]; weight, bias [C].
///
/// Autograd hands the input a new gradient tensor (the one of its reshaped view): the layer writes
/// 0 + each value, and the plan adds it to any other contribution, as autograd does.
final class PlannedGroupNormalization: PlannedLayer {
    /// [1, N·groups, C/groups·S]: the statistics' view.
    private let grouped: BatchNormShape
    private let eps: Float
    /// Per group of each image [N·groups]: the statistics, σ⁻¹ and the gradient sums.
    private let mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>
    private let inverseDeviation: UnsafeMutablePointer<Float>
    private let sums: UnsafeMutablePointer<Float>, dots: UnsafeMutablePointer<Float>
    private let affine: Affine?
    /// The InstanceNorm2d whose running statistics the layer reads or updates; nil without them.
    private let runningStatistics: InstanceNorm2d?
    /// Whether the last forward pass normalised with the input's own statistics.
    private var usedInputStatistics = true
    /// N.
    private let images: Int

    /// The affine step's parameters and buffers: [C] zeros and ones (its mean and σ⁻¹), its gradient
    /// sums [C], the normalised input and its gradient [N, C, *].
    private struct Affine {
        let shape: BatchNormShape
        let weight: GradientSlot, bias: GradientSlot?
        let zeros: UnsafeMutablePointer<Float>, ones: UnsafeMutablePointer<Float>
        let sums: UnsafeMutablePointer<Float>, dots: UnsafeMutablePointer<Float>
        let normalized: UnsafeMutablePointer<Float>, normalizedGradient: UnsafeMutablePointer<Float>
    }

    /// A GroupNorm layer for `input` [N, C, *].
    convenience init(_ layer: GroupNorm, input: [Int], memory: PlanMemory) {
        self.init(input: input, groups: layer.numGroups, eps: layer.eps, weight: layer.weight, bias: layer.bias,
                  runningStatistics: nil, memory: memory)
    }

    /// An InstanceNorm2d layer for `input` [N, C, H, W].
    convenience init(_ layer: InstanceNorm2d, input: [Int], memory: PlanMemory) {
        self.init(input: input, groups: layer.numFeatures, eps: layer.eps, weight: layer.weight, bias: layer.bias,
                  runningStatistics: layer.trackRunningStats ? layer : nil, memory: memory)
    }

    private init(input: [Int], groups: Int, eps: Double, weight: Variable?, bias: Variable?, runningStatistics: InstanceNorm2d?,
                 memory: PlanMemory) {
        self.runningStatistics = runningStatistics
        images = input[0]
        let count = input.elementCount, groupCount = input[0] * groups
        grouped = BatchNormShape(input: [1, groupCount, count / groupCount])
        self.eps = Float(eps)
        (mean, variance, inverseDeviation) = (memory.floats(groupCount), memory.floats(groupCount), memory.floats(groupCount))
        (sums, dots) = (memory.floats(groupCount), memory.floats(groupCount))
        affine = weight.map { weight in
            let shape = BatchNormShape(input: input), zeros = memory.floats(shape.channels), ones = memory.floats(shape.channels)
            zeros.initialize(repeating: 0, count: shape.channels)
            ones.initialize(repeating: 1, count: shape.channels)
            return Affine(shape: shape, weight: GradientSlot(weight), bias: bias.map(GradientSlot.init), zeros: zeros, ones: ones,
                          sums: memory.floats(shape.channels), dots: memory.floats(shape.channels), normalized: memory.floats(count),
                          normalizedGradient: memory.floats(count))
        }
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        usedInputStatistics = runningStatistics?.usesInputStatistics ?? true
        if usedInputStatistics {
            axisMeanAndVariance(outer: 1, size: grouped.channels, inner: grouped.spatial, input: input, mean: mean, variance: variance)
        } else if let layer = runningStatistics {
            layer.copyRunningStatistic(layer.runningMean!, images: images, into: mean)
            layer.copyRunningStatistic(layer.runningVar!, images: images, into: variance)
        }
        if let layer = runningStatistics, layer.isTraining {
            layer.updateRunningStatistics(instanceMean: mean, instanceVariance: variance, batch: images, positions: grouped.spatial)
        }
        grouped.inverseDeviations(variance: variance, eps: eps, into: inverseDeviation)
        grouped.normalize(x: input, mean: mean, inverseDeviation: inverseDeviation, weight: nil, bias: nil, y: affine?.normalized ?? output)
        guard let affine else { return }
        affine.weight.withValue { w in
            affine.bias.withValueIfPresent { b in
                affine.shape.normalize(x: affine.normalized, mean: affine.zeros, inverseDeviation: affine.ones, weight: w, bias: b, y: output)
            }
        }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        var dy = outputGradient
        if let affine {
            affine.shape.gradientSums(x: affine.normalized, dy: dy, mean: affine.zeros, inverseDeviation: affine.ones, sums: affine.sums,
                                      dots: affine.dots)
            if inputGradient != nil {
                affine.weight.withValue { w in
                    affine.shape.accumulateInputGradient(x: affine.normalized, dy: dy, mean: affine.zeros, inverseDeviation: affine.ones,
                                                         weight: w, sums: affine.sums, dots: affine.dots, usesBatchStatistics: false,
                                                         dx: affine.normalizedGradient, overwrites: true)
                }
            }
            affine.weight.add(affine.dots)
            affine.bias?.add(affine.sums)
            dy = UnsafePointer(affine.normalizedGradient)
        }
        guard let inputGradient else { return }
        grouped.gradientSums(x: input, dy: dy, mean: mean, inverseDeviation: inverseDeviation, sums: sums, dots: dots)
        grouped.accumulateInputGradient(x: input, dy: dy, mean: mean, inverseDeviation: inverseDeviation, weight: nil, sums: sums, dots: dots,
                                        usesBatchStatistics: usedInputStatistics, dx: inputGradient, overwrites: true)
    }
}
