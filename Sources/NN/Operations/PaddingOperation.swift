import NNTensor

/// Appends zero rows after the last row and zero columns after the last column of every plane
/// (the uneven part of Conv2d's `padding='same'`).
/// input [N, C, H, W] → output [N, C, H + rows, W + columns].
func padBottomRight(_ input: Variable, rows: Int, columns: Int) -> Variable {
    let planes = PaddedPlanes(shape: input.shape, rows: rows, columns: columns)
    var output = Tensor(zeros: planes.outputShape)
    output.scalars.withUnsafeMutableBufferPointer { y in
        input.value.scalars.withUnsafeBufferPointer { x in
            planes.forEachRow { inputRow, outputRow in
                (y.baseAddress! + outputRow).update(from: x.baseAddress! + inputRow, count: planes.width)
            }
        }
    }
    return record(output, inputs: [input]) { PadBottomRightOperation(input: input, planes: planes) }
}

/// The input's rows inside the padded planes.
private struct PaddedPlanes {
    let planeCount: Int, height: Int, width: Int, paddedHeight: Int, paddedWidth: Int
    let outputShape: [Int]

    init(shape: [Int], rows: Int, columns: Int) {
        planeCount = shape[0] * shape[1]
        height = shape[2]; width = shape[3]
        paddedHeight = height + rows; paddedWidth = width + columns
        outputShape = [shape[0], shape[1], paddedHeight, paddedWidth]
    }

    /// Calls `body` with the offsets of each input row and of where it stands in the output.
    func forEachRow(_ body: (_ inputRow: Int, _ outputRow: Int) -> Void) {
        for plane in 0..<planeCount {
            for row in 0..<height {
                body((plane * height + row) * width, (plane * paddedHeight + row) * paddedWidth)
            }
        }
    }
}

/// The input's gradient is the output gradient without the padded rows and columns.
private struct PadBottomRightOperation: DifferentiableOperation {
    let input: Variable
    let planes: PaddedPlanes
    var inputs: [Variable] { [input] }
    /// Needs only shapes, so it survives a backward pass (as PyTorch).
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        input.accumulateGradient { dx in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                planes.forEachRow { inputRow, outputRow in
                    addAssign(UnsafeMutableBufferPointer(rebasing: dx[inputRow..<(inputRow + planes.width)]),
                              UnsafeBufferPointer(rebasing: dy[outputRow..<(outputRow + planes.width)]))
                }
            }
        }
    }
}
