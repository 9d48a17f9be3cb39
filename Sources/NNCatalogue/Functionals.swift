import NNSpec

extension StandardCatalogue {
    /// The functions a spec may `call:` as a step that registers no module, each computed by the
    /// layer type whose module PyTorch's function backs (`F.relu` ↔ `nn.ReLU`), with the function's
    /// own defaults where they differ. A new function is one line; its layer type must be stateless
    /// (the validator refuses one with parameters).
    public static let functionals: [FunctionalDefinition] = [
        FunctionalDefinition("F.relu", computedBy: "ReLU"),
        FunctionalDefinition("F.relu6", computedBy: "ReLU6"),
        FunctionalDefinition("F.silu", computedBy: "SiLU"),
        FunctionalDefinition("F.hardswish", computedBy: "Hardswish"),
        FunctionalDefinition("torch.sigmoid", computedBy: "Sigmoid"),
        FunctionalDefinition("torch.tanh", computedBy: "Tanh"),
        FunctionalDefinition("F.max_pool2d", computedBy: "MaxPool2d"),
        FunctionalDefinition("F.avg_pool2d", computedBy: "AvgPool2d"),
        FunctionalDefinition("F.adaptive_avg_pool2d", computedBy: "AdaptiveAvgPool2d"),
        // torch.flatten(x, start_dim=0, end_dim=-1): nn.Flatten's start_dim is 1.
        FunctionalDefinition("torch.flatten", computedBy: "Flatten", defaults: ["start_dim": .integer(0)]),
        FunctionalDefinition("torch.add", computedBy: "Add"),
        // torch.cat(tensors, dim=0).
        FunctionalDefinition("torch.cat", computedBy: "Concat", defaults: ["dim": .integer(0)]),
    ]
}
