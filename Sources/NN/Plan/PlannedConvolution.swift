import NNTensor

/// A Conv2d layer over planned buffers, through the kernels autograd's `conv2d` uses
/// (`ConvolutionShape.forward`, `accumulateWeightGradient` with the bias, `inputGradient`).
/// input [N, C, H, W] → output [N, OC, OH, OW]; weight [OC, C/groups, KH, KW], bias [OC].
struct PlannedConvolution: PlannedLayer {
    let shape: ConvolutionShape
    let weight: GradientSlot, bias: GradientSlot?

    /// The layer for `input` [N, C, H, W], which its forward pass accepts; nil when the geometry
    /// pads unevenly (`padding='same'` with an odd dilation·(kernel − 1)).
    init?(_ layer: Conv2d, input: [Int]) {
        self.init(weight: layer.weight, weightShape: layer.weight.shape, bias: layer.bias, geometry: layer.geometry, input: input)
    }

    /// A Conv1d layer for `input` [N, C, L], as the Conv2d over [N, C, 1, L] its forward pass runs.
    init?(_ layer: Conv1d, input: [Int]) {
        self.init(weight: layer.weight, weightShape: layer.imageWeightShape, bias: layer.bias, geometry: layer.imageGeometry,
                  input: [input[0], input[1], 1, input[2]])
    }

    private init?(weight: Variable, weightShape: [Int], bias: Variable?, geometry: ConvolutionGeometry, input: [Int]) {
        guard geometry.extraPadding == (0, 0) else { return nil }
        shape = ConvolutionShape(input: input, weight: weightShape, geometry: geometry)
        self.weight = GradientSlot(weight)
        self.bias = bias.map(GradientSlot.init)
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        weight.withValue { w in bias.withValueIfPresent { b in shape.forward(x: input, w: w, b: b, y: output) } }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        // The bias gradient is summed in the weight gradient's pass over dY, as autograd's op does.
        guard let inputGradient else {
            return accumulateParameterGradients { dw, db in shape.accumulateWeightGradient(x: input, dy: outputGradient, dw: dw, db: db) }
        }
        weight.withValue { w in
            accumulateParameterGradients { dw, db in
                shape.accumulateGradients(x: input, w: w, dy: outputGradient, dw: dw, db: db, dx: inputGradient)
            }
        }
    }

    /// Runs `body` with the weight's gradient and the bias's (nil without a bias), to add into.
    func accumulateParameterGradients(_ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) -> Void) {
        if let bias {
            bias.accumulate { db in weight.accumulate { dw in body(dw, db) } }
        } else {
            weight.accumulate { dw in body(dw, nil) }
        }
    }
}

extension ConvolutionShape {
    /// The convolution of `input` [N, C, H, W] with a weight of shape [OC, C/groups, KH, KW] and
    /// symmetric padding (`geometry.extraPadding` is (0, 0)); the shapes must already fit.
    init(input: [Int], weight: [Int], geometry: ConvolutionGeometry) {
        let window = Window2d(channels: weight[1], height: input[2], width: input[3], kernel: (weight[2], weight[3]),
                              stride: geometry.stride, padding: geometry.padding, dilation: geometry.dilation)
        self.init(window: window, batch: input[0], outChannels: weight[0], groups: geometry.groups)
    }
}
