import NNTensor

/// Group normalisation, as `nn.GroupNorm`: each sample's channels in `numGroups` groups, each group
/// normalised over its channels and positions with its own biased mean and variance, then
/// y·weight[c] + bias[c]. input [N, num_channels, *] → the same shape.
/// weight [C] = 1, bias [C] = 0 (with `affine`; bias also needs `bias`).
public final class GroupNorm: Module {
    public let numGroups: Int, numChannels: Int
    public let eps: Double
    public let affine: Bool
    public let weight: Variable?, bias: Variable?

    public init(numGroups: Int, numChannels: Int, eps: Double = 1e-5, affine: Bool = true, bias: Bool = true) throws(NNError) {
        try requirePositive([("num_groups", numGroups), ("num_channels", numChannels)], in: "GroupNorm")
        guard numChannels % numGroups == 0 else {
            throw .invalidArgument("GroupNorm: num_channels (\(numChannels)) must be divisible by num_groups (\(numGroups))")
        }
        self.numGroups = numGroups
        self.numChannels = numChannels
        self.eps = eps
        self.affine = affine
        weight = affine ? Variable(Tensor(repeating: 1, shape: [numChannels]), requiresGrad: true) : nil
        self.bias = affine && bias ? Variable(Tensor(zeros: [numChannels]), requiresGrad: true) : nil
        super.init()
        if let weight { registerParameter("weight", weight) }
        if let bias = self.bias { registerParameter("bias", bias) }
    }

    override public var extraDescription: String {
        "\(numGroups), \(numChannels), eps=\(PythonRepr.float(eps)), affine=\(PythonRepr.bool(affine)), bias=\(PythonRepr.bool(bias != nil))"
    }

    /// The groups as the channels of a one-image batch normalisation: [N, C, *] viewed as
    /// [1, N·groups, C/groups·S], normalised with its own statistics, viewed back.
    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        let shape = input.shape
        guard shape.count >= 2, shape[1] == numChannels else {
            throw .shapeMismatch("GroupNorm(\(numGroups), \(numChannels)) expects input [N, \(numChannels), *] but got \(shape)")
        }
        let groups = shape[0] * numGroups
        guard groups > 0 else { return input }
        let grouped = try reshape(input, to: [1, groups, shape.elementCount / groups])
        let normalized = try reshape(batchNorm(grouped, weight: nil, bias: nil, statistics: .batch, eps: Float(eps)).output, to: shape)
        guard let weight else { return normalized }
        return channelAffine(normalized, weight: weight, bias: bias)
    }
}
