import NNTensor

/// Conv2d, ReLU and MaxPool2d in one planned layer, for a direct convolution: the forward pass
/// pools each image's convolution output while it is in cache (`reluMaxPoolForward`), so neither
/// the convolution's nor the ReLU's output is stored. Backward: when the input needs no gradient,
/// the weight gradient routes each image's dY back through the pooling as it reads it; otherwise
/// the pooling's gradient (ReLU's included) goes into `convolutionGradient`, then the convolution's.
/// input [N, C, H, W] → output [N, OC, PH, PW]; the same values and gradients as the three layers.
struct PlannedConvolutionReLUMaxPooling: PlannedLayer {
    let convolution: PlannedConvolution
    let direct: DirectConvolution
    let pooling: PlannedMaxPooling
    /// The convolution output's gradient [N, OC, OH, OW].
    let convolutionGradient: UnsafeMutablePointer<Float>

    /// The fused layer, or nil when the convolution is not direct (`DirectConvolution`), is depthwise
    /// or its output planes are computed by image blocks (`DepthwiseConvolution`, `ImageBlockConvolution`, as
    /// autograd's convolution computes them).
    init?(_ convolution: PlannedConvolution, pooling: PlannedMaxPooling, memory: PlanMemory) {
        guard DepthwiseConvolution(convolution.shape) == nil, ImageBlockConvolution(convolution.shape) == nil,
              let direct = DirectConvolution(convolution.shape.window) else {
            return nil
        }
        self.convolution = convolution
        self.direct = direct
        self.pooling = pooling
        let shape = convolution.shape
        convolutionGradient = memory.floats(shape.batch * shape.outChannels * shape.outputPlane)
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let shape = convolution.shape
        convolution.weight.withValue { w in
            convolution.bias.withValueIfPresent { b in
                shape.reluMaxPoolForward(direct, x: input, w: w, b: b, pooling: pooling.window, pooled: output,
                                         indices: pooling.indices)
            }
        }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else {
            let dy = ConvolutionOutputGradient.pooled(pooling.window, outputGradient: outputGradient, output: output,
                                                      indices: pooling.indices)
            convolution.accumulateParameterGradients { dw, db in
                convolution.shape.accumulateDirectWeightGradient(direct, x: input, dy: dy, dw: dw, db: db)
            }
            return
        }
        maxPool2dInputGradient(pooling.window, batch: pooling.batch, outputGradient: outputGradient, gate: output,
                               indices: pooling.indices, inputGradient: convolutionGradient)
        convolution.backward(input: input, output: output, outputGradient: convolutionGradient, inputGradient: inputGradient)
    }
}
