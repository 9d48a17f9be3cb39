import NNTensor

// The 1-D layers run the 2-D kernels on a height-1 image: [N, C, L] is [N, C, 1, L] in memory, so
// both reshapes are free and the results are the 2-D kernels' exactly.

/// input [N, C, L] (C = `channels`, or any C when nil; L > 0) as [N, C, 1, L], or an error naming `layer`.
func signalAsImage(_ input: Variable, channels: Int?, layer: String) throws(NNError) -> Variable {
    let shape = input.shape
    guard shape.count == 3, channels == nil || shape[1] == channels, shape[2] > 0 else {
        throw .shapeMismatch("\(layer) expects input [N, \(channels.map(String.init) ?? "C"), L] but got \(shape)")
    }
    return try reshape(input, to: [shape[0], shape[1], 1, shape[2]])
}

/// output [N, C, 1, L] of a 2-D kernel as [N, C, L].
func imageAsSignal(_ output: Variable) throws(NNError) -> Variable {
    try reshape(output, to: [output.shape[0], output.shape[1], output.shape[3]])
}
