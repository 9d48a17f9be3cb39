// Constructor argument checks shared by the layers; each throws an error naming the layer,
// the argument and its value.

/// Throws unless every size is positive, naming the layer and argument.
func requirePositive(_ values: [(name: String, value: Int)], in layer: String) throws(NNError) {
    for (name, value) in values where value <= 0 {
        throw .invalidArgument("\(layer): \(name) must be positive but is \(value)")
    }
}

/// Throws unless every size is zero or positive, naming the layer and argument.
func requireNonNegative(_ values: [(name: String, value: Int)], in layer: String) throws(NNError) {
    for (name, value) in values where value < 0 {
        throw .invalidArgument("\(layer): \(name) must not be negative but is \(value)")
    }
}

/// PyTorch's pooling rule: padding must be non-negative and at most half the kernel size.
func requireHalfKernelPadding(_ padding: IntOrPair, kernelSize: IntOrPair, in layer: String) throws(NNError) {
    let (padHeight, padWidth) = padding.values, (kernelHeight, kernelWidth) = kernelSize.values
    guard padHeight >= 0, padWidth >= 0, padHeight <= kernelHeight / 2, padWidth <= kernelWidth / 2 else {
        throw .invalidArgument("\(layer): padding \(padding) must be non-negative and at most half of kernel_size \(kernelSize)")
    }
}
