/// PyTorch's `_ConvNd.extra_repr`, shared by the convolutions: `in, out, kernel_size=…, stride=…`,
/// then padding, dilation, output_padding, groups and bias in that order, each only where it is
/// not the default (the optional texts are given only then, already in Python's notation).
func convolutionDescription(_ inChannels: Int, _ outChannels: Int, kernelSize: String, stride: String, padding: String?,
                            dilation: String?, outputPadding: String? = nil, groups: Int, bias: Bool) -> String {
    var text = "\(inChannels), \(outChannels), kernel_size=\(kernelSize), stride=\(stride)"
    for (name, value) in [("padding", padding), ("dilation", dilation), ("output_padding", outputPadding)] {
        if let value { text += ", \(name)=\(value)" }
    }
    if groups != 1 { text += ", groups=\(groups)" }
    if !bias { text += ", bias=False" }
    return text
}
