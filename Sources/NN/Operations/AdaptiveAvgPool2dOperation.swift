import NNTensor

/// PyTorch's adaptive pooling bins: output index i of `outputSize` covers input indices
/// ⌊i·in/out⌋ ..< ⌈(i+1)·in/out⌉.
private func adaptiveBin(_ index: Int, outputSize: Int, inputSize: Int) -> Range<Int> {
    let start = (index * inputSize) / outputSize
    let end = ((index + 1) * inputSize + outputSize - 1) / outputSize
    return start..<end
}

/// Visits every output of an adaptive average pool over planes [P, H, W] → [P, OH, OW]: its flat
/// output index, the flat input offset of its plane, and the rows and columns it averages.
private func forEachAdaptiveBin(planes: Int, height: Int, width: Int, outputHeight: Int, outputWidth: Int,
                                _ body: (_ outputIndex: Int, _ planeOffset: Int, _ rows: Range<Int>, _ columns: Range<Int>) -> Void) {
    for plane in 0..<planes {
        for outputRow in 0..<outputHeight {
            let rows = adaptiveBin(outputRow, outputSize: outputHeight, inputSize: height)
            for outputColumn in 0..<outputWidth {
                let columns = adaptiveBin(outputColumn, outputSize: outputWidth, inputSize: width)
                body((plane * outputHeight + outputRow) * outputWidth + outputColumn, plane * height * width, rows, columns)
            }
        }
    }
}

/// input [N, C, H, W] → output [N, C, OH, OW], each output the mean of its adaptive bin.
func adaptiveAvgPool2d(_ input: Variable, outputHeight: Int, outputWidth: Int) throws(NNError) -> Variable {
    guard input.shape.count == 4 else {
        throw .shapeMismatch("AdaptiveAvgPool2d expects input [N, C, H, W] but got \(input.shape)")
    }
    let planes = input.shape[0] * input.shape[1], height = input.shape[2], width = input.shape[3]
    guard height > 0, width > 0 else {
        throw .shapeMismatch("AdaptiveAvgPool2d needs a non-empty image but got \(input.shape)")
    }
    var output = Tensor(zeros: [input.shape[0], input.shape[1], outputHeight, outputWidth])
    if output.count > 0 {
        input.value.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                forEachAdaptiveBin(planes: planes, height: height, width: width, outputHeight: outputHeight, outputWidth: outputWidth) {
                    outputIndex, planeOffset, rows, columns in
                    var sum: Float = 0
                    for row in rows { for column in columns { sum += x[planeOffset + row * width + column] } }
                    y[outputIndex] = sum / Float(rows.count * columns.count)
                }
            }
        }
    }
    return record(output, inputs: [input]) { AdaptiveAvgPool2dOperation(input: input) }
}

/// Spreads each output gradient evenly over its bin.
private struct AdaptiveAvgPool2dOperation: DifferentiableOperation {
    let input: Variable
    var inputs: [Variable] { [input] }

    func backward(_ outputGradient: Tensor) {
        guard outputGradient.count > 0 else { return }
        let height = input.shape[2], width = input.shape[3]
        input.accumulateGradient { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                forEachAdaptiveBin(planes: input.shape[0] * input.shape[1], height: height, width: width,
                                   outputHeight: outputGradient.shape[2], outputWidth: outputGradient.shape[3]) {
                    outputIndex, planeOffset, rows, columns in
                    let share = dy[outputIndex] / Float(rows.count * columns.count)
                    for row in rows { for column in columns { dx[planeOffset + row * width + column] += share } }
                }
            }
        }
    }
}
