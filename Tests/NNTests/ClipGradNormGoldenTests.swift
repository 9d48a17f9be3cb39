import NN
import NNTensor
import Testing

/// make_reference.py's CLIPPING: `torch.nn.utils.clip_grad_norm_` on three gradients (a fourth
/// parameter has none): the returned total norm and the clipped gradients.
@Suite struct ClipGradNormGoldenTests {
    @Test(arguments: ["clip_l2", "clip_l2_inactive", "clip_l1", "clip_l3", "clip_zero"])
    func totalNormAndClippedGradientsMatchPyTorch(_ name: String) throws {
        let file = try Reference.load("clipping.safetensors")
        let config = try ReferenceConfig(file, name)
        let parameters = try (0..<3).map { index in
            let gradient = try file.tensor(named: "\(name).grad.\(index)")
            let parameter = Variable(Tensor(zeros: gradient.shape), requiresGrad: true)
            parameter.grad = gradient
            return parameter
        } + [Variable(Tensor(zeros: [2]), requiresGrad: true)]
        let total = clipGradNorm(parameters, maxNorm: try #require(config.double("max_norm")),
                                 normType: config.double("norm_type") ?? 2)
        expectClose(Tensor(scalar: total), try file.tensor(named: "\(name).total_norm"), "\(name) total norm")
        for index in 0..<3 {
            expectClose(try #require(parameters[index].grad), try file.tensor(named: "\(name).clipped.\(index)"),
                        "\(name) gradient \(index)")
        }
        #expect(parameters[3].grad == nil)
    }
}
