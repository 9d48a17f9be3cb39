import NNTensor

/// The geometry of a transposed 2-D convolution besides its kernel size (taken from the weight).
struct TransposedConvolutionGeometry {
    var stride: (Int, Int), padding: (Int, Int), outputPadding: (Int, Int), dilation: (Int, Int)
    var groups: Int

    /// PyTorch's output size: (in − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1.
    func outputSize(input: (Int, Int), kernel: (Int, Int)) -> (Int, Int) {
        ((input.0 - 1) * stride.0 - 2 * padding.0 + dilation.0 * (kernel.0 - 1) + outputPadding.0 + 1,
         (input.1 - 1) * stride.1 - 2 * padding.1 + dilation.1 * (kernel.1 - 1) + outputPadding.1 + 1)
    }
}

/// The transposed convolution of input [N, C, H, W] with weight [C, OC/groups, KH, KW] and bias [OC]
/// → output [N, OC, OH, OW] (`TransposedConvolutionGeometry.outputSize`).
///
/// It is the input gradient of the convolution whose input is the output: a `ConvolutionShape` over
/// the [OC/groups, OH, OW] image with C output channels, whose weight layout is this weight's. So the
/// forward pass is that convolution's `inputGradient`, the input gradient its `forward`, and the
/// weight gradient its `accumulateWeightGradient` with the roles of image and output gradient swapped.
/// With output_padding ≥ stride (allowed below the dilation) that convolution's output is larger than
/// the input: the input is padded with zeros after, whose contributions are zero.
func convTranspose2d(_ input: Variable, weight: Variable, bias: Variable?,
                     geometry: TransposedConvolutionGeometry) throws(NNError) -> Variable {
    let channels = weight.shape[0], outChannels = weight.shape[1] * geometry.groups
    let kernel = (weight.shape[2], weight.shape[3])
    guard input.shape.count == 4, input.shape[1] == channels, input.shape[2] > 0, input.shape[3] > 0 else {
        throw .shapeMismatch("ConvTranspose2d(\(channels), \(outChannels)) expects input [N, \(channels), H, W] but got \(input.shape)")
    }
    let (height, width) = geometry.outputSize(input: (input.shape[2], input.shape[3]), kernel: kernel)
    guard height > 0, width > 0 else {
        throw .shapeMismatch("ConvTranspose2d gives an empty output \(height)×\(width) for input \(input.shape)")
    }
    let window = Window2d(channels: weight.shape[1], height: height, width: width, kernel: kernel, stride: geometry.stride,
                          padding: geometry.padding, dilation: geometry.dilation)
    let extra = (window.outputHeight - input.shape[2], window.outputWidth - input.shape[3])
    let source = extra == (0, 0) ? input : padBottomRight(input, rows: extra.0, columns: extra.1)
    let shape = ConvolutionShape(window: window, batch: input.shape[0], outChannels: channels, groups: geometry.groups)
    let output = Tensor(shape: [shape.batch, outChannels, height, width]) { y in
        guard shape.batch > 0 else { return }
        source.withValue { x in weight.withValue { w in shape.inputGradient(w: w, dy: x, dx: y.baseAddress!) } }
        bias.withValueIfPresent { b in
            guard let b else { return }
            for image in 0..<shape.batch {
                for channel in 0..<outChannels {
                    let plane = y.baseAddress! + (image * outChannels + channel) * shape.inputPlane
                    for index in 0..<shape.inputPlane { plane[index] += b[channel] }
                }
            }
        }
    }
    let inputs = [source, weight] + (bias.map { [$0] } ?? [])
    return record(output, inputs: inputs) { ConvTranspose2dOperation(input: source, weight: weight, bias: bias, shape: shape) }
}

/// dX = conv(dY, W) (the convolution's forward), dW += the convolution's weight gradient of image dY
/// and output gradient X, db += Σ dY per output channel.
private struct ConvTranspose2dOperation: DifferentiableOperation {
    let input: Variable, weight: Variable, bias: Variable?
    let shape: ConvolutionShape
    var inputs: [Variable] { [input, weight] + (bias.map { [$0] } ?? []) }

    func backward(_ outputGradient: Tensor) {
        guard shape.batch > 0 else { return }
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            bias?.accumulateGradient { db in
                accumulateAxisSums(outer: shape.batch, size: shape.groups * shape.window.channels, inner: shape.inputPlane,
                                   input: dy.baseAddress!, sums: db.baseAddress!)
            }
            weight.accumulateGradient { dw in
                input.withValue { x in shape.accumulateWeightGradient(x: dy.baseAddress!, dy: x, dw: dw.baseAddress!) }
            }
            if input.requiresGrad {
                input.accumulateGradient(Tensor(shape: input.shape) { dx in
                    weight.withValue { w in shape.forward(x: dy.baseAddress!, w: w, b: nil, y: dx.baseAddress!) }
                })
            }
        }
    }
}
