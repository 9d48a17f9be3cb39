import NNTensor

/// `nn.TransformerEncoder(encoder_layer, num_layers, norm=None)`: the encoder layers applied in
/// turn, then `norm` if given. input [N, L, d_model] (batch_first) → the same shape. Children:
/// `layers` (a ModuleList: `layers.0.self_attn.in_proj_weight` …), then `norm`. PyTorch's
/// `layers` are deep copies of one layer, so they start with equal weights: the catalogue builds
/// each from the same generator state (TransformerEncoderDefinition).
public final class TransformerEncoder: Module {
    public let layers: [Module]
    public let norm: Module?

    public init(layers: [Module], norm: Module?) throws(NNError) {
        guard !layers.isEmpty else { throw .invalidArgument("TransformerEncoder needs at least one layer") }
        self.layers = layers
        self.norm = norm
        super.init()
        registerModule("layers", ModuleList(layers))
        if let norm { registerModule("norm", norm) }
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        var output = input
        for layer in layers { output = try layer(output) }
        guard let norm else { return output }
        return try norm(output)
    }
}
