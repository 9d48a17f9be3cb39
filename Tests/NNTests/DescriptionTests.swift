import NNTensor
import Testing
@testable import NN

/// Each expected line is what PyTorch 2.15 prints for the torch.nn module written beside it.
@Suite("Descriptions match PyTorch's print")
struct DescriptionTests {
    @Test func everyLayer() throws {
        var generator = RandomGenerator(seed: 0)
        let cases: [(Module, String)] = [
            (try Conv2d(inChannels: 1, outChannels: 6, kernelSize: 5, generator: &generator),  // nn.Conv2d(1,6,5)
             "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"),
            // nn.Conv2d(2,4,3,stride=2,padding=(1,2),dilation=2,groups=2,bias=False)
            (try Conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, stride: 2, padding: .pair(1, 2), dilation: 2, groups: 2,
                        bias: false, generator: &generator),
             "Conv2d(2, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 2), dilation=(2, 2), groups=2, bias=False)"),
            (try Conv2d(inChannels: 1, outChannels: 1, kernelSize: 2, padding: .same, generator: &generator),  // padding='same'
             "Conv2d(1, 1, kernel_size=(2, 2), stride=(1, 1), padding=same)"),
            (try Conv2d(inChannels: 1, outChannels: 1, kernelSize: 2, padding: .valid, bias: false, generator: &generator),
             "Conv2d(1, 1, kernel_size=(2, 2), stride=(1, 1), padding=valid, bias=False)"),
            (try Conv1d(inChannels: 1, outChannels: 8, kernelSize: 80, stride: 16, generator: &generator),  // nn.Conv1d(1,8,80,stride=16)
             "Conv1d(1, 8, kernel_size=(80,), stride=(16,))"),
            // nn.Conv1d(4,6,3,padding='same',dilation=2,groups=2,bias=False)
            (try Conv1d(inChannels: 4, outChannels: 6, kernelSize: 3, padding: .same, dilation: 2, groups: 2, bias: false,
                        generator: &generator),
             "Conv1d(4, 6, kernel_size=(3,), stride=(1,), padding=same, dilation=(2,), groups=2, bias=False)"),
            (try Conv1d(inChannels: 2, outChannels: 2, kernelSize: 3, padding: 1, generator: &generator),  // padding=1
             "Conv1d(2, 2, kernel_size=(3,), stride=(1,), padding=(1,))"),
            (try MaxPool1d(kernelSize: 4), "MaxPool1d(kernel_size=4, stride=4, padding=0, dilation=1, ceil_mode=False)"),
            (try MaxPool1d(kernelSize: 3, stride: 2, padding: 1, dilation: 2, ceilMode: true),  // nn.MaxPool1d(3,2,1,2,ceil_mode=True)
             "MaxPool1d(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)"),
            (try AvgPool1d(kernelSize: 3), "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))"),
            // nn.AvgPool1d(3,2,1,ceil_mode=True,count_include_pad=False)
            (try AvgPool1d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false),
             "AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))"),
            (try AdaptiveAvgPool1d(outputSize: 1), "AdaptiveAvgPool1d(output_size=1)"),
            (try ConvTranspose2d(inChannels: 16, outChannels: 8, kernelSize: 2, stride: 2, generator: &generator),  // nn.ConvTranspose2d(16,8,2,stride=2)
             "ConvTranspose2d(16, 8, kernel_size=(2, 2), stride=(2, 2))"),
            // nn.ConvTranspose2d(4,6,3,stride=2,padding=1,output_padding=1,groups=2,dilation=2,bias=False)
            (try ConvTranspose2d(inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, groups: 2,
                                 bias: false, dilation: 2, generator: &generator),
             "ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), output_padding=(1, 1), groups=2, bias=False)"),
            (try Upsample(scaleFactor: 2), "Upsample(scale_factor=2.0, mode='nearest')"),  // nn.Upsample(scale_factor=2)
            // nn.Upsample(size=(4,5),mode='bilinear',align_corners=True)
            (try Upsample(size: .pair(4, 5), mode: .bilinear, alignCorners: true), "Upsample(size=(4, 5), mode='bilinear')"),
            (try Upsample(size: 7), "Upsample(size=7, mode='nearest')"),
            (try GroupNorm(numGroups: 2, numChannels: 4), "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)"),
            (try GroupNorm(numGroups: 2, numChannels: 4, eps: 1e-3, affine: false),  // nn.GroupNorm(2,4,eps=1e-3,affine=False)
             "GroupNorm(2, 4, eps=0.001, affine=False, bias=False)"),
            (try InstanceNorm2d(numFeatures: 3),
             "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)"),
            (try InstanceNorm2d(numFeatures: 3, affine: true, trackRunningStats: true),  // affine=True, track_running_stats=True
             "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"),
            (try Linear(inFeatures: 3, outFeatures: 4, generator: &generator), "Linear(in_features=3, out_features=4, bias=True)"),
            (try MaxPool2d(kernelSize: 2), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
            (try MaxPool2d(kernelSize: .pair(2, 3), stride: 1),  // nn.MaxPool2d((2,3),stride=1)
             "MaxPool2d(kernel_size=(2, 3), stride=1, padding=0, dilation=1, ceil_mode=False)"),
            (try AvgPool2d(kernelSize: 2), "AvgPool2d(kernel_size=2, stride=2, padding=0)"),
            (try AvgPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false),
             "AvgPool2d(kernel_size=3, stride=2, padding=1)"),
            (try AdaptiveAvgPool2d(outputSize: .pair(1, 1)), "AdaptiveAvgPool2d(output_size=(1, 1))"),
            (try AdaptiveAvgPool2d(outputSize: 2), "AdaptiveAvgPool2d(output_size=2)"),
            (try BatchNorm1d(numFeatures: 4), "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"),
            (try BatchNorm2d(numFeatures: 16, momentum: nil, affine: false),  // nn.BatchNorm2d(16, momentum=None, affine=False)
             "BatchNorm2d(16, eps=1e-05, momentum=None, affine=False, bias=False, track_running_stats=True)"),
            (try BatchNorm2d(numFeatures: 3, eps: 1e-3, momentum: 0.01),
             "BatchNorm2d(3, eps=0.001, momentum=0.01, affine=True, bias=True, track_running_stats=True)"),
            (try LayerNorm(normalizedShape: [10]), "LayerNorm((10,), eps=1e-05, elementwise_affine=True, bias=True)"),
            (try LayerNorm(normalizedShape: [4, 5], eps: 1e-6, elementwiseAffine: false),
             "LayerNorm((4, 5), eps=1e-06, elementwise_affine=False, bias=False)"),
            (try Dropout(generator: &generator), "Dropout(p=0.5, inplace=False)"),
            (Flatten(), "Flatten(start_dim=1, end_dim=-1)"),
            // tools/torch_print.py's Reshape(shape=(10, -1)) and Reshape(shape=(4,))
            (try Reshape(shape: [10, -1]), "Reshape(shape=(10, -1))"),
            (try Reshape(shape: [4]), "Reshape(shape=(4,))"),
            // nn.Dropout(0.1, inplace=True), nn.ReLU(inplace=True), nn.LeakyReLU(0.2, inplace=True), nn.ELU(inplace=True)
            (try Dropout(p: 0.1, inplace: true, generator: &generator), "Dropout(p=0.1, inplace=True)"),
            (ReLU(inplace: true), "ReLU(inplace=True)"),
            (LeakyReLU(negativeSlope: 0.2, inplace: true), "LeakyReLU(negative_slope=0.2, inplace=True)"),
            (ELU(inplace: true), "ELU(alpha=1.0, inplace=True)"),
            (Identity(), "Identity()"),
            (ReLU(), "ReLU()"),
            (LeakyReLU(), "LeakyReLU(negative_slope=0.01)"),
            (ELU(), "ELU(alpha=1.0)"),
            (try GELU(), "GELU(approximate='none')"),
            (try GELU(approximate: "tanh"), "GELU(approximate='tanh')"),
            // nn.ReLU6(), nn.ReLU6(inplace=True), nn.SiLU(inplace=True), nn.Hardswish(inplace=True), nn.Mish(inplace=True)
            (ReLU6(), "ReLU6()"),
            (ReLU6(inplace: true), "ReLU6(inplace=True)"),
            (SiLU(), "SiLU()"),
            (SiLU(inplace: true), "SiLU(inplace=True)"),
            (Hardswish(), "Hardswish()"),
            (Hardswish(inplace: true), "Hardswish()"),
            (Mish(), "Mish()"),
            (Mish(inplace: true), "Mish(inplace=True)"),
            // nn.Softplus(), nn.Softplus(beta=0.5, threshold=1.5), nn.Softplus(beta=1e-07, threshold=1e+20)
            (Softplus(), "Softplus(beta=1.0, threshold=20.0)"),
            (Softplus(beta: 0.5, threshold: 1.5), "Softplus(beta=0.5, threshold=1.5)"),
            (Softplus(beta: 1e-7, threshold: 1e20), "Softplus(beta=1e-07, threshold=1e+20)"),
            (Sigmoid(), "Sigmoid()"),
            (Tanh(), "Tanh()"),
            (Softmax(dim: 1), "Softmax(dim=1)"),
            (LogSoftmax(dim: -1), "LogSoftmax(dim=-1)"),
            (Softmax(dim: nil), "Softmax(dim=None)"),  // nn.Softmax()
            (Add(), "Add()"),
            (Concat(dim: 1), "Concat(dim=1)"),
        ]
        for (module, expected) in cases { #expect(module.description == expected) }
        #expect(MSELoss().description == "MSELoss()")
        #expect(try CrossEntropyLoss(labelSmoothing: 0.1).description == "CrossEntropyLoss()")
    }

    /// nn.Sequential(nn.Conv2d(1,6,5), nn.Sequential(nn.ReLU(), nn.Linear(2,3)))
    @Test func nestedContainersIndentChildren() throws {
        var generator = RandomGenerator(seed: 0)
        let inner = try Sequential([ReLU(), try Linear(inFeatures: 2, outFeatures: 3, generator: &generator)])
        let outer = try Sequential([try Conv2d(inChannels: 1, outChannels: 6, kernelSize: 5, generator: &generator), inner])
        #expect(outer.description == """
        Sequential(
          (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
          (1): Sequential(
            (0): ReLU()
            (1): Linear(in_features=2, out_features=3, bias=True)
          )
        )
        """)
        #expect(outer.namedParameters().map(\.name) == ["0.weight", "0.bias", "1.1.weight", "1.1.bias"])
    }
}
