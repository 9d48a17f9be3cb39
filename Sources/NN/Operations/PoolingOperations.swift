import NNTensor

/// The per-image window of a pooling over input [N, C, H, W], or an error naming the shapes.
func poolingWindow(_ layer: String, input: [Int], kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int),
                   dilation: (Int, Int) = (1, 1), ceilMode: Bool) throws(NNError) -> Window2d {
    guard input.count == 4, input[1...].allSatisfy({ $0 > 0 }) else {
        throw .shapeMismatch("\(layer) expects input [N, C, H, W] but got \(input)")
    }
    let window = Window2d(channels: input[1], height: input[2], width: input[3], kernel: kernel, stride: stride,
                          padding: padding, dilation: dilation, ceilMode: ceilMode)
    guard window.outputHeight > 0, window.outputWidth > 0 else {
        throw .shapeMismatch("\(layer) kernel \(kernel.0)×\(kernel.1) (padding \(padding), dilation \(dilation)) gives an empty output for input \(input)")
    }
    return window
}

/// Max pooling per image. input [N, C, H, W] → output [N, C, OH, OW]; saves the argmax indices.
func maxPool2d(_ input: Variable, window: Window2d) -> Variable {
    let batch = input.shape[0]
    let outputShape = [batch, window.channels, window.outputHeight, window.outputWidth]
    // Every index is written by the kernel: no zero-fill first.
    var indices = [Int32](unsafeUninitializedCapacity: outputShape.elementCount) { _, count in count = outputShape.elementCount }
    let output = Tensor(shape: outputShape) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            indices.withUnsafeMutableBufferPointer { indices in
                maxPool2d(window, batch: batch, input: x.baseAddress!, output: y.baseAddress!, indices: indices.baseAddress!)
            }
        }
    }
    return record(output, inputs: [input]) { MaxPool2dOperation(input: input, window: window, indices: indices) }
}

/// Routes each output gradient to the input element that was the maximum.
private struct MaxPool2dOperation: DifferentiableOperation {
    let input: Variable
    let window: Window2d
    let indices: [Int32]
    var inputs: [Variable] { [input] }

    /// Each image's gradient is written whole by `maxPool2dInputGradient` (no zero-fill pass when the
    /// windows tile the image), into fresh storage handed over as the first contribution.
    func backward(_ outputGradient: Tensor) {
        guard input.requiresGrad, outputGradient.count > 0 else { return }
        input.accumulateGradient(Tensor(shape: input.shape) { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                indices.withUnsafeBufferPointer { indices in
                    maxPool2dInputGradient(window, batch: input.shape[0], outputGradient: dy.baseAddress!,
                                           indices: indices.baseAddress!, inputGradient: dx.baseAddress!)
                }
            }
        })
    }
}

/// Average pooling per image. input [N, C, H, W] → output [N, C, OH, OW].
func avgPool2d(_ input: Variable, window: Window2d, countIncludePad: Bool) -> Variable {
    let batch = input.shape[0]
    let output = Tensor(shape: [batch, window.channels, window.outputHeight, window.outputWidth]) { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            avgPool2d(window, batch: batch, countIncludePad: countIncludePad, input: x.baseAddress!, output: y.baseAddress!)
        }
    }
    return record(output, inputs: [input]) { AvgPool2dOperation(input: input, window: window, countIncludePad: countIncludePad) }
}

/// Spreads each output gradient evenly over its window (divided by the same divisor).
private struct AvgPool2dOperation: DifferentiableOperation {
    let input: Variable
    let window: Window2d
    let countIncludePad: Bool
    var inputs: [Variable] { [input] }

    func backward(_ outputGradient: Tensor) {
        guard outputGradient.count > 0 else { return }
        input.accumulateGradient { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                avgPool2dBackward(window, batch: input.shape[0], countIncludePad: countIncludePad,
                                  outputGradient: dy.baseAddress!, inputGradient: dx.baseAddress!)
            }
        }
    }
}
