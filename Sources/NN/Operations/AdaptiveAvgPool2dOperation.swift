import NNTensor

/// PyTorch's adaptive average pooling of planes [P, H, W] → [P, OH, OW]: output index i of
/// `outputSize` covers input indices ⌊i·in/out⌋ ..< ⌈(i+1)·in/out⌉. Shared by autograd's
/// `adaptiveAvgPool2d` and a `TrainingPlan`.
struct AdaptivePoolingShape {
    let planes: Int, height: Int, width: Int
    let outputHeight: Int, outputWidth: Int

    /// Writes every output: the mean of its bin, summed in row-major order. Eight planes at a time
    /// sum side by side, one lane each, so that eight dependent chains of additions overlap (a global
    /// pool over 32 planes of 16×16 took 6 µs of the ResNet example's 240 µs pass at batch 1 as
    /// one chain after another).
    func forward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let lanes = SIMD8<Float>.scalarCount, planeSize = height * width, outputPlane = outputHeight * outputWidth
        let vectorPlanes = planes / lanes * lanes
        for firstPlane in stride(from: 0, to: vectorPlanes, by: lanes) {
            forEachBin(planes: firstPlane..<firstPlane + 1) { outputIndex, planeOffset, rows, columns in
                var sums = SIMD8<Float>()
                for row in rows {
                    for column in columns {
                        let source = x + planeOffset + row * width + column
                        sums += SIMD8(source[0], source[planeSize], source[2 * planeSize], source[3 * planeSize],
                                      source[4 * planeSize], source[5 * planeSize], source[6 * planeSize], source[7 * planeSize])
                    }
                }
                let means = sums / Float(rows.count * columns.count)
                for lane in 0..<lanes { y[outputIndex + lane * outputPlane] = means[lane] }
            }
        }
        forEachBin(planes: vectorPlanes..<planes) { outputIndex, planeOffset, rows, columns in
            var sum: Float = 0
            for row in rows { for column in columns { sum += x[planeOffset + row * width + column] } }
            y[outputIndex] = sum / Float(rows.count * columns.count)
        }
    }

    /// Adds each output gradient's even share into every input of its bin.
    func accumulateInputGradient(dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        forEachBin { outputIndex, planeOffset, rows, columns in
            let share = dy[outputIndex] / Float(rows.count * columns.count)
            for row in rows { for column in columns { dx[planeOffset + row * width + column] += share } }
        }
    }

    private static func bin(_ index: Int, outputSize: Int, inputSize: Int) -> Range<Int> {
        let start = (index * inputSize) / outputSize
        let end = ((index + 1) * inputSize + outputSize - 1) / outputSize
        return start..<end
    }

    /// Visits every output of `planes` (all by default): its flat output index, the flat input offset
    /// of its plane, and the rows and columns it averages.
    private func forEachBin(planes: Range<Int>? = nil,
                            _ body: (_ outputIndex: Int, _ planeOffset: Int, _ rows: Range<Int>, _ columns: Range<Int>) -> Void) {
        for plane in planes ?? 0..<self.planes {
            for outputRow in 0..<outputHeight {
                let rows = Self.bin(outputRow, outputSize: outputHeight, inputSize: height)
                for outputColumn in 0..<outputWidth {
                    let columns = Self.bin(outputColumn, outputSize: outputWidth, inputSize: width)
                    body((plane * outputHeight + outputRow) * outputWidth + outputColumn, plane * height * width, rows, columns)
                }
            }
        }
    }
}

/// input [N, C, H, W] → output [N, C, OH, OW], each output the mean of its adaptive bin.
func adaptiveAvgPool2d(_ input: Variable, outputHeight: Int, outputWidth: Int) throws(NNError) -> Variable {
    guard input.shape.count == 4 else {
        throw .shapeMismatch("AdaptiveAvgPool2d expects input [N, C, H, W] but got \(input.shape)")
    }
    guard input.shape[2] > 0, input.shape[3] > 0 else {
        throw .shapeMismatch("AdaptiveAvgPool2d needs a non-empty image but got \(input.shape)")
    }
    let shape = AdaptivePoolingShape(planes: input.shape[0] * input.shape[1], height: input.shape[2], width: input.shape[3],
                                     outputHeight: outputHeight, outputWidth: outputWidth)
    var output = Tensor(zeros: [input.shape[0], input.shape[1], outputHeight, outputWidth])
    if output.count > 0 {
        input.value.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in shape.forward(x: x.baseAddress!, y: y.baseAddress!) }
        }
    }
    return record(output, inputs: [input]) { AdaptiveAvgPool2dOperation(input: input, shape: shape) }
}

/// Spreads each output gradient evenly over its bin.
private struct AdaptiveAvgPool2dOperation: DifferentiableOperation {
    let input: Variable
    let shape: AdaptivePoolingShape
    var inputs: [Variable] { [input] }

    func backward(_ outputGradient: Tensor) {
        guard outputGradient.count > 0 else { return }
        input.accumulateGradient { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                shape.accumulateInputGradient(dy: dy.baseAddress!, dx: dx.baseAddress!)
            }
        }
    }
}
