import NNTensor

/// Normalises each sample over its trailing `normalizedShape` dimensions, as `nn.LayerNorm`
/// (biased variance). input [*, normalized_shape…] → output of the same shape.
/// weight = 1 and bias = 0, each of `normalizedShape` (with `elementwiseAffine`).
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let eps: Double
    public let elementwiseAffine: Bool
    public let weight: Variable?, bias: Variable?

    public init(normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) throws(NNError) {
        guard !normalizedShape.isEmpty else { throw .invalidArgument("LayerNorm: normalized_shape must not be empty") }
        try requirePositive(normalizedShape.map { ("normalized_shape", $0) }, in: "LayerNorm")
        self.normalizedShape = normalizedShape
        self.eps = eps
        self.elementwiseAffine = elementwiseAffine
        weight = elementwiseAffine ? Variable(Tensor(repeating: 1, shape: normalizedShape), requiresGrad: true) : nil
        self.bias = elementwiseAffine && bias ? Variable(Tensor(zeros: normalizedShape), requiresGrad: true) : nil
        super.init()
        if let weight { registerParameter("weight", weight) }
        if let bias = self.bias { registerParameter("bias", bias) }
    }

    override public var extraDescription: String {
        "\(PythonRepr.tuple(normalizedShape)), eps=\(PythonRepr.float(eps)), "
            + "elementwise_affine=\(PythonRepr.bool(elementwiseAffine)), bias=\(PythonRepr.bool(bias != nil))"
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        guard input.shape.count >= normalizedShape.count, Array(input.shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw .shapeMismatch("LayerNorm: given normalized_shape=\(normalizedShape), expected input with shape [*, \(normalizedShape.map(String.init).joined(separator: ", "))], but got input of shape \(input.shape)")
        }
        return layerNorm(input, normalizedCount: normalizedShape.elementCount, weight: weight, bias: bias, eps: Float(eps))
    }
}
