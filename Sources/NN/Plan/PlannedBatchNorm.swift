import NNTensor

/// A BatchNorm1d/BatchNorm2d layer over planned buffers, through the `BatchNormShape` loops
/// autograd's `batchNorm` uses: batch statistics in training mode (or without running statistics),
/// updating the running ones as the layer's forward pass does; the running statistics in
/// evaluation mode. input [N, C, *] → output [N, C, *]; weight, bias [C]. With a `rectifier`, also
/// the ReLU or ReLU6 that alone reads its output, in the same passes (the same bits as the two layers).
final class PlannedBatchNorm: PlannedLayer {
    private let layer: BatchNormalization
    private let shape: BatchNormShape
    private let rectifier: BatchNormRectifier?
    private let weight: GradientSlot?, bias: GradientSlot?
    /// Per channel [C]: the statistics and σ⁻¹ of the last forward pass, and the gradient sums.
    private let mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>
    private let inverseDeviation: UnsafeMutablePointer<Float>
    private let sums: UnsafeMutablePointer<Float>, dots: UnsafeMutablePointer<Float>
    private var usedBatchStatistics = true

    /// Nil when `input` has a single value per channel and the layer normalises with batch
    /// statistics (in training mode, or without running statistics), which cannot normalise it.
    init?(_ layer: BatchNormalization, input: [Int], rectifier: BatchNormRectifier?, memory: PlanMemory) {
        shape = BatchNormShape(input: input)
        guard shape.batch * shape.spatial > 1 || !(layer.isTraining || !layer.trackRunningStats) else { return nil }
        self.layer = layer
        self.rectifier = rectifier
        weight = layer.weight.map(GradientSlot.init)
        bias = layer.bias.map(GradientSlot.init)
        (mean, variance, inverseDeviation) = (memory.floats(shape.channels), memory.floats(shape.channels), memory.floats(shape.channels))
        (sums, dots) = (memory.floats(shape.channels), memory.floats(shape.channels))
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        usedBatchStatistics = layer.isTraining || !layer.trackRunningStats
        if usedBatchStatistics {
            axisMeanAndVariance(outer: shape.batch, size: shape.channels, inner: shape.spatial, input: input, mean: mean, variance: variance)
        } else {
            layer.runningMean!.value.scalars.withUnsafeBufferPointer { mean.update(from: $0.baseAddress!, count: shape.channels) }
            layer.runningVar!.value.scalars.withUnsafeBufferPointer { variance.update(from: $0.baseAddress!, count: shape.channels) }
        }
        shape.inverseDeviations(variance: variance, eps: Float(layer.eps), into: inverseDeviation)
        weight.withValueIfPresent { w in
            bias.withValueIfPresent { b in
                shape.normalize(x: input, mean: mean, inverseDeviation: inverseDeviation, weight: w, bias: b, y: output, rectifier: rectifier)
            }
        }
        if layer.isTraining {
            layer.updateRunningStatistics(batchMean: mean, batchVariance: variance, valuesPerChannel: shape.batch * shape.spatial)
        }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        backward(input: input, output: output, outputGradient: outputGradient, inputGradient: inputGradient, overwrites: false)
    }

    /// Writes 0 + each value of its contribution (`BatchNormShape.accumulateInputGradient`'s `overwrites`).
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  firstInputGradient: UnsafeMutablePointer<Float>, count: Int) {
        backward(input: input, output: output, outputGradient: outputGradient, inputGradient: firstInputGradient, overwrites: true)
    }

    /// With a `rectifier`, `outputGradient` is the rectifier's and `output` its output.
    private func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                          inputGradient: UnsafeMutablePointer<Float>?, overwrites: Bool) {
        let rectified = rectifier.map { RectifiedOutput($0, output: output) }
        shape.gradientSums(x: input, dy: outputGradient, mean: mean, inverseDeviation: inverseDeviation, sums: sums, dots: dots,
                           rectified: rectified)
        if let inputGradient {
            weight.withValueIfPresent { w in
                shape.accumulateInputGradient(x: input, dy: outputGradient, mean: mean, inverseDeviation: inverseDeviation, weight: w,
                                              sums: sums, dots: dots, usesBatchStatistics: usedBatchStatistics, dx: inputGradient,
                                              overwrites: overwrites, rectified: rectified)
            }
        }
        weight?.add(dots)
        bias?.add(sums)
    }

    var addsIntoInputGradient: Bool { true }
}
