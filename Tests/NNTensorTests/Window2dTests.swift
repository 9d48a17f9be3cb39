import NNTensor
import Testing

/// (input, kernel, stride, padding, dilation, ceilMode, PyTorch's output size). Regenerate with:
///   F.max_pool2d(torch.zeros(1, 1, input, input), kernel, stride, padding, dilation,
///                ceil_mode=ceil).shape[-1]
/// The first ten are ceil-mode cases where the last window would start in the right padding.
private let pytorchOutputSizes: [(Int, Int, Int, Int, Int, Bool, Int)] = [
    (10, 1, 4, 0, 3, true, 3), (5, 2, 2, 1, 1, true, 3), (9, 1, 3, 0, 2, true, 3),
    (10, 4, 3, 2, 1, true, 4), (5, 3, 3, 1, 1, true, 2), (2, 1, 2, 0, 1, true, 1),
    (3, 3, 4, 1, 1, true, 1), (6, 2, 4, 1, 1, true, 2), (6, 1, 4, 0, 2, true, 2),
    (5, 2, 3, 1, 2, true, 2),
    (10, 4, 3, 2, 2, true, 4), (6, 4, 3, 1, 2, true, 2), (8, 3, 4, 0, 3, true, 2),
    (7, 3, 3, 1, 3, true, 2), (9, 3, 3, 0, 2, true, 3), (6, 2, 2, 1, 2, true, 4),
    (8, 4, 3, 0, 1, true, 3), (5, 2, 3, 0, 2, true, 2), (6, 3, 4, 1, 3, true, 2),
    (10, 3, 4, 1, 3, true, 3),
    (3, 4, 3, 2, 2, false, 1), (6, 4, 2, 1, 1, false, 3), (10, 4, 4, 0, 1, false, 2),
    (5, 1, 1, 0, 2, false, 5), (7, 4, 1, 0, 1, false, 4), (4, 1, 1, 0, 2, false, 4),
    (3, 2, 3, 1, 2, false, 1), (7, 4, 4, 2, 3, false, 1), (10, 1, 3, 0, 1, false, 4),
    (4, 1, 2, 0, 1, false, 2), (8, 2, 4, 0, 3, false, 2), (9, 3, 2, 1, 2, false, 4),
]

@Test func outputSizeMatchesPyTorch() {
    for (input, kernel, stride, padding, dilation, ceilMode, expected) in pytorchOutputSizes {
        let size = Window2d.outputSize(input, kernel, stride, padding, dilation, ceilMode)
        #expect(size == expected, "input \(input) kernel \(kernel) stride \(stride) padding \(padding) dilation \(dilation) ceil \(ceilMode)")
    }
}

@Test func outputSizeFollowsEachAxis() {
    let window = Window2d(channels: 3, height: 32, width: 14, kernel: (5, 3), stride: (1, 2), padding: (0, 1))
    #expect(window.outputHeight == 28)
    #expect(window.outputWidth == 7)
}

@Test func validateAcceptsWhatPyTorchAccepts() throws {
    try Window2d(channels: 1, height: 32, width: 32, kernel: (5, 5)).validate()
    try Window2d(channels: 6, height: 28, width: 28, kernel: (2, 2), stride: (2, 2)).validate(forPooling: true)
    try Window2d(channels: 2, height: 3, width: 3, kernel: (3, 3), padding: (1, 1), dilation: (2, 2)).validate()
}

@Test func validateRejectsBadGeometryNamingTheValues() {
    // F.max_pool2d(torch.zeros(1, 1, 5, 5), 2, 2, 2) → "pad should be at most half of effective kernel size …"
    #expect(throws: TensorError.invalidArgument(
        "pad should be at most half of kernel size, but got pad=(2, 1) and kernel_size=(2, 2)")) {
        try Window2d(channels: 1, height: 5, width: 5, kernel: (2, 2), stride: (2, 2), padding: (2, 1)).validate(forPooling: true)
    }
    #expect(throws: TensorError.invalidArgument("stride must be positive, got (0, 1)")) {
        try Window2d(channels: 1, height: 5, width: 5, kernel: (2, 2), stride: (0, 1)).validate()
    }
    #expect(throws: TensorError.invalidArgument("padding must be non-negative, got (0, -1)")) {
        try Window2d(channels: 1, height: 5, width: 5, kernel: (2, 2), padding: (0, -1)).validate()
    }
    #expect(throws: TensorError.shapeMismatch(
        "padded input size per channel (3 x 3) is smaller than the kernel's extent (5 x 5)")) {
        try Window2d(channels: 1, height: 3, width: 3, kernel: (5, 5)).validate()
    }
    #expect(throws: TensorError.self) {
        try Window2d(channels: 1, height: 4, width: 4, kernel: (3, 3), dilation: (2, 2)).validate()
    }
}
