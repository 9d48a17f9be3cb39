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

    /// The transposed convolution of input [N, C, H, W] with weight [C, OC/groups, KH, KW], and the
    /// rows and columns of zeros its input takes after its own (`TransposedConvolution`'s x is that
    /// padded input): with output_padding ≥ stride (allowed below the dilation) the convolution whose
    /// input gradient it is has an output larger than the input, and the zeros contribute nothing.
    /// Throws autograd's error when the input does not fit or the output is empty.
    func transposedConvolution(input: [Int], weight: [Int]) throws(NNError) -> (TransposedConvolution, padding: (rows: Int, columns: Int)) {
        let channels = weight[0], outChannels = weight[1] * groups, kernel = (weight[2], weight[3])
        guard input.count == 4, input[1] == channels, input[2] > 0, input[3] > 0 else {
            throw .shapeMismatch("ConvTranspose2d(\(channels), \(outChannels)) expects input [N, \(channels), H, W] but got \(input)")
        }
        let (height, width) = outputSize(input: (input[2], input[3]), kernel: kernel)
        guard height > 0, width > 0 else {
            throw .shapeMismatch("ConvTranspose2d gives an empty output \(height)×\(width) for input \(input)")
        }
        let window = Window2d(channels: weight[1], height: height, width: width, kernel: kernel, stride: stride, padding: padding,
                              dilation: dilation)
        let convolution = ConvolutionShape(window: window, batch: input[0], outChannels: channels, groups: groups)
        return (TransposedConvolution(convolution), (window.outputHeight - input[2], window.outputWidth - input[3]))
    }
}

/// The transposed convolution of input [N, C, H, W] with weight [C, OC/groups, KH, KW] and bias [OC]
/// → output [N, OC, OH, OW] (`TransposedConvolutionGeometry.outputSize`), through
/// `TransposedConvolution`: the input gradient of the convolution whose input is the output.
func convTranspose2d(_ input: Variable, weight: Variable, bias: Variable?,
                     geometry: TransposedConvolutionGeometry) throws(NNError) -> Variable {
    let (transposed, padding) = try geometry.transposedConvolution(input: input.shape, weight: weight.shape)
    let source = padding == (0, 0) ? input : padBottomRight(input, rows: padding.rows, columns: padding.columns)
    let window = transposed.convolution.window
    let output = Tensor(shape: [input.shape[0], transposed.outChannels, window.height, window.width]) { y in
        source.withValue { x in
            weight.withValue { w in bias.withValueIfPresent { b in transposed.forward(x: x, w: w, b: b, y: y.baseAddress!) } }
        }
    }
    let inputs = [source, weight] + (bias.map { [$0] } ?? [])
    return record(output, inputs: inputs) { ConvTranspose2dOperation(input: source, weight: weight, bias: bias, transposed: transposed) }
}

/// dX = conv(dY, W) (the convolution's forward), dW += the convolution's weight gradient of image dY
/// and output gradient X, db += Σ dY per output channel.
private struct ConvTranspose2dOperation: DifferentiableOperation {
    let input: Variable, weight: Variable, bias: Variable?
    let transposed: TransposedConvolution
    var inputs: [Variable] { [input, weight] + (bias.map { [$0] } ?? []) }

    func backward(_ outputGradient: Tensor) {
        guard transposed.convolution.batch > 0 else { return }
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            bias?.accumulateGradient { db in transposed.accumulateBiasGradient(dy: dy.baseAddress!, db: db.baseAddress!) }
            weight.accumulateGradient { dw in
                input.withValue { x in transposed.accumulateWeightGradient(x: x, dy: dy.baseAddress!, dw: dw.baseAddress!) }
            }
            if input.requiresGrad {
                input.accumulateGradient(Tensor(shape: input.shape) { dx in
                    weight.withValue { w in transposed.inputGradient(w: w, dy: dy.baseAddress!, dx: dx.baseAddress!) }
                })
            }
        }
    }
}
