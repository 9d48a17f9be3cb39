import NNTensor

/// Appends zero rows after the last row and zero columns after the last column of every plane
/// (the uneven part of Conv2d's `padding='same'`, a transposed convolution's input with
/// output_padding ≥ stride). input [N, C, H, W] → output [N, C, H + rows, W + columns].
func padBottomRight(_ input: Variable, rows: Int, columns: Int) -> Variable {
    let planes = PaddedPlanes(shape: input.shape, rows: rows, columns: columns)
    var output = Tensor(zeros: planes.outputShape)
    output.scalars.withUnsafeMutableBufferPointer { y in
        input.withValue { x in planes.pad(x, into: y.baseAddress!) }
    }
    return record(output, inputs: [input]) { PadBottomRightOperation(input: input, planes: planes) }
}

/// N·C planes of H × W inside the same planes padded with zeros after their rows and columns.
struct PaddedPlanes {
    let planeCount: Int, height: Int, width: Int, paddedHeight: Int, paddedWidth: Int
    let outputShape: [Int]

    /// The planes of `shape` [N, C, H, W] padded to (H + rows) × (W + columns).
    init(shape: [Int], rows: Int, columns: Int) {
        planeCount = shape[0] * shape[1]
        height = shape[2]; width = shape[3]
        paddedHeight = height + rows; paddedWidth = width + columns
        outputShape = [shape[0], shape[1], paddedHeight, paddedWidth]
    }

    /// Copies x [N, C, H, W] into the padded planes at `padded`, whose padding it leaves as it is.
    func pad(_ x: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        forEachRow { inputRow, outputRow in (padded + outputRow).update(from: x + inputRow, count: width) }
    }

    /// dx [N, C, H, W] += the elements of the padded gradient `dy` that lie on the input.
    func addUnpadded(_ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        forEachRow { inputRow, outputRow in
            addAssign(UnsafeMutableBufferPointer(start: dx + inputRow, count: width), UnsafeBufferPointer(start: dy + outputRow, count: width))
        }
    }

    /// Calls `body` with the offsets of each input row and of where it stands in the output.
    private func forEachRow(_ body: (_ inputRow: Int, _ outputRow: Int) -> Void) {
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
            outputGradient.scalars.withUnsafeBufferPointer { dy in planes.addUnpadded(dy.baseAddress!, into: dx.baseAddress!) }
        }
    }
}
