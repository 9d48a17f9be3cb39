// Constructor argument checks shared by the layers; each throws an error naming the layer,
// the argument and its value.

/// Throws unless every size is positive, naming the layer and argument.
func requirePositive(_ values: [(name: String, value: Int)], in layer: String) throws(NNError) {
    for (name, value) in values where value <= 0 {
        throw .invalidArgument("\(layer): \(name) must be positive but is \(value)")
    }
}

/// Throws unless both values of every 2-D size (kernel_size, stride, dilation) are positive.
func requirePositiveSizes(_ sizes: [(name: String, value: IntOrPair)], in layer: String) throws(NNError) {
    try requirePositive(sizes.flatMap { [($0.name, $0.value.values.0), ($0.name, $0.value.values.1)] }, in: layer)
}

/// Throws unless every size is zero or positive, naming the layer and argument.
func requireNonNegative(_ values: [(name: String, value: Int)], in layer: String) throws(NNError) {
    for (name, value) in values where value < 0 {
        throw .invalidArgument("\(layer): \(name) must not be negative but is \(value)")
    }
}

/// PyTorch's pooling checks (positive kernel_size, stride and dilation; padding non-negative and
/// at most half the kernel size); returns the stride, which defaults to the kernel size.
func checkedPoolingStride(kernelSize: IntOrPair, stride: IntOrPair?, padding: IntOrPair, dilation: IntOrPair = 1,
                          in layer: String) throws(NNError) -> IntOrPair {
    let stride = stride ?? kernelSize
    try requirePositiveSizes([("kernel_size", kernelSize), ("stride", stride), ("dilation", dilation)], in: layer)
    let (padHeight, padWidth) = padding.values, (kernelHeight, kernelWidth) = kernelSize.values
    guard padHeight >= 0, padWidth >= 0, padHeight <= kernelHeight / 2, padWidth <= kernelWidth / 2 else {
        throw .invalidArgument("\(layer): padding \(padding) must be non-negative and at most half of kernel_size \(kernelSize)")
    }
    return stride
}

/// PyTorch's convolution checks: positive channel counts, groups and `sizes` (kernel_size, stride,
/// dilation); non-negative padding sizes; `'same'` only with stride 1; groups dividing both channel counts.
func checkConvolutionArguments(_ layer: String, inChannels: Int, outChannels: Int, groups: Int, padding: Conv2dPadding,
                               stride: IntOrPair, sizes: [(name: String, value: IntOrPair)]) throws(NNError) {
    try requirePositive([("in_channels", inChannels), ("out_channels", outChannels), ("groups", groups)], in: layer)
    try requirePositiveSizes(sizes, in: layer)
    switch padding {
    case .sizes(let sizes):
        try requireNonNegative([("padding", sizes.values.0), ("padding", sizes.values.1)], in: layer)
    case .same where stride.values != (1, 1):
        throw .invalidArgument("\(layer): padding='same' is not supported for strided convolutions (stride \(stride))")
    case .same, .valid:
        break
    }
    guard inChannels % groups == 0, outChannels % groups == 0 else {
        throw .invalidArgument("\(layer): in_channels \(inChannels) and out_channels \(outChannels) must both be divisible by groups \(groups)")
    }
}
