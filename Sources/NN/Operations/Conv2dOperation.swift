import NNTensor

/// The geometry of a 2-D convolution besides its kernel size (taken from the weight).
struct ConvolutionGeometry {
    /// `padding` zeros on each side, plus `extraPadding` more after (bottom, right): the uneven
    /// half of PyTorch's `padding='same'` for an odd dilation·(kernel − 1).
    var stride: (Int, Int), padding: (Int, Int), extraPadding: (Int, Int) = (0, 0), dilation: (Int, Int)
    var groups: Int
}

/// Convolution, computed by `ConvolutionShape`'s batch loops (NNTensor).
/// input [N, C, H, W], weight [OC, C/groups, KH, KW], bias [OC] → output [N, OC, OH, OW].
func conv2d(_ input: Variable, weight: Variable, bias: Variable?, geometry: ConvolutionGeometry) throws(NNError) -> Variable {
    let outChannels = weight.shape[0], groupChannels = weight.shape[1]
    let channels = groupChannels * geometry.groups
    guard input.shape.count == 4, input.shape[1] == channels, input.shape[2] > 0, input.shape[3] > 0 else {
        throw .shapeMismatch("Conv2d(\(channels), \(outChannels)) expects input [N, \(channels), H, W] but got \(input.shape)")
    }
    if geometry.extraPadding != (0, 0) {
        var symmetric = geometry
        symmetric.extraPadding = (0, 0)
        return try conv2d(padBottomRight(input, rows: geometry.extraPadding.0, columns: geometry.extraPadding.1),
                          weight: weight, bias: bias, geometry: symmetric)
    }
    let window = Window2d(channels: groupChannels, height: input.shape[2], width: input.shape[3],
                          kernel: (weight.shape[2], weight.shape[3]), stride: geometry.stride,
                          padding: geometry.padding, dilation: geometry.dilation)
    guard window.outputHeight > 0, window.outputWidth > 0 else {
        throw .shapeMismatch("Conv2d kernel \(weight.shape[2])×\(weight.shape[3]) (padding \(geometry.padding), dilation \(geometry.dilation)) does not fit input \(input.shape)")
    }
    let shape = ConvolutionShape(window: window, batch: input.shape[0], outChannels: outChannels, groups: geometry.groups)
    let output = Tensor(shape: [shape.batch, outChannels, window.outputHeight, window.outputWidth]) { y in
        input.withValue { x in
            weight.withValue { w in bias.withValueIfPresent { b in shape.forward(x: x, w: w, b: b, y: y.baseAddress!) } }
        }
    }
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return record(output, inputs: inputs) { Conv2dOperation(input: input, weight: weight, bias: bias, shape: shape) }
}

/// dW += dY · columnsᵀ and db += Σ dY per channel (one pass), dX += col2im(Wᵀ · dY) per image and group.
private struct Conv2dOperation: DifferentiableOperation {
    let input: Variable, weight: Variable, bias: Variable?
    let shape: ConvolutionShape
    var inputs: [Variable] { [input, weight] + (bias.map { [$0] } ?? []) }

    func backward(_ outputGradient: Tensor) {
        guard shape.batch > 0 else { return }
        outputGradient.scalars.withUnsafeBufferPointer { dy in
            func accumulateWeightGradient(db: UnsafeMutablePointer<Float>?) {
                weight.accumulateGradient { dw in
                    input.value.scalars.withUnsafeBufferPointer { x in
                        shape.accumulateWeightGradient(x: x.baseAddress!, dy: dy.baseAddress!, dw: dw.baseAddress!, db: db)
                    }
                }
            }
            // The bias gradient is summed in the weight gradient's pass over dY, unless the weight
            // needs no gradient.
            switch (bias, weight.requiresGrad) {
            case (let bias?, true) where bias.requiresGrad:
                bias.accumulateGradient { db in accumulateWeightGradient(db: db.baseAddress!) }
            case (let bias?, false):
                bias.accumulateGradient { db in
                    accumulateAxisSums(outer: shape.batch, size: shape.outChannels, inner: shape.outputPlane,
                                       input: dy.baseAddress!, sums: db.baseAddress!)
                }
            default:
                accumulateWeightGradient(db: nil)
            }
            if input.requiresGrad {
                input.accumulateGradient(Tensor(shape: input.shape) { dx in
                    weight.value.scalars.withUnsafeBufferPointer { w in
                        shape.inputGradient(w: w.baseAddress!, dy: dy.baseAddress!, dx: dx.baseAddress!)
                    }
                })
            }
        }
    }
}
