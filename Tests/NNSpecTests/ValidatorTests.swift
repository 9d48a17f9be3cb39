import Foundation
import NNCatalogue
import Testing
@testable import NNSpec

@Suite struct ValidatorTests {
    @Test func tutorialLeNetIsValidWithPyTorchsParameterNames() throws {
        let result = SpecValidator.standard.validate(file: repositoryRoot.appending(path: "examples/lenet.yaml").path)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let spec = try #require(result.spec)
        #expect(spec.parameterCount == 61706)
        #expect(spec.output.description == "[N, 10]")
        #expect(spec.multAdds == 416_520)
        #expect(
            spec.namedParameters.map { "\($0.name) \($0.shape)" } == [
                "conv1.weight [6, 1, 5, 5]", "conv1.bias [6]", "conv2.weight [16, 6, 5, 5]", "conv2.bias [16]",
                "fc1.weight [120, 400]", "fc1.bias [120]", "fc2.weight [84, 120]", "fc2.bias [84]",
                "fc3.weight [10, 84]", "fc3.bias [10]",
            ])
    }

    @Test func shapeMismatchNamesTheArithmeticAndThePath() throws {
        let result = validate(
            """
            nnspec: 1
            input: [N, 1, 36, 36]
            layers:
              - {name: conv1, type: Conv2d, in_channels: 1, out_channels: 6, kernel_size: 5}
              - ReLU
              - {type: MaxPool2d, kernel_size: 2}
              - {name: conv2, type: Conv2d, in_channels: 6, out_channels: 16, kernel_size: 5}
              - ReLU
              - {type: MaxPool2d, kernel_size: 2}
              - Flatten
              - {name: fc1, type: Linear, in_features: 16*5*5, out_features: 120}
            """)
        let error = try #require(result.diagnostics.first)
        #expect(error.message == "fc1 expects in_features 400 but receives 576 (16×6×6) from conv2 → MaxPool2d → Flatten")
        #expect(error.mark == SourceMark(line: 11, column: 44))
        #expect(result.diagnostics.count == 1)
    }

    @Test func everyProblemIsReportedInOneRun() {
        let result = validate(
            """
            nnspec: 1
            input: [N, 784]
            layrs: []
            layers:
              - {type: Linear, in_features: 784, out_features: 0}
              - Relu
              - {type: Linear, in_features: auto, out_features: 10, bais: false}
            loss: CrossEntropy
            optimizer: {type: SGD, lr: 0, nesterov: true}
            """)
        #expect(
            errorMessages(result) == [
                "unknown key 'layrs' in the spec",
                "layer 0 (Linear) out_features must be positive, not 0",
                "unknown layer type 'Relu'",
                "layer 2 (Linear) has no argument 'bais'",
                "unknown loss 'CrossEntropy'",
                "SGD lr must be greater than 0, not 0",
                "SGD nesterov needs momentum > 0 and dampening 0 (momentum is 0.0, dampening 0.0)",
            ])
        #expect(result.diagnostics.compactMap(\.hint).contains("did you mean 'CrossEntropyLoss'?"))
    }

    @Test func autoIsInferredFromTheIncomingShape() throws {
        let result = validate(
            """
            nnspec: 1
            input: [N, 3, 8, 8]
            layers:
              - {type: Conv2d, in_channels: auto, out_channels: 4, kernel_size: 3, padding: same}
              - Flatten
              - {name: head, type: Linear, in_features: auto, out_features: 2}
            """)
        let spec = try #require(result.spec)
        #expect(spec.layers[0].arguments.integer("in_channels") == 3)
        #expect(spec.layers[0].arguments.text("padding") == "same")
        #expect(spec.layers[2].arguments.integer("in_features") == 256)
        #expect(spec.namedParameters.map(\.name) == ["0.weight", "0.bias", "head.weight", "head.bias"])
    }

    /// nn.Conv2d(1, 1, k, padding='same', dilation=d)(torch.zeros(1, 1, 5, 6)).shape is [1, 1, 5, 6] for
    /// k 2, (4, 3) with d 2, and 7 (wider than the input); nn.Conv2d(1, 1, 2, stride=2, padding='same') raises
    /// ValueError("padding='same' is not supported for strided convolutions").
    @Test func samePaddingKeepsHeightAndWidthForEvenKernelsAndNeedsStrideOne() throws {
        let result = validate(
            """
            nnspec: 1
            input: [N, 1, 5, 6]
            layers:
              - {type: Conv2d, in_channels: 1, out_channels: 2, kernel_size: 2, padding: same}
              - {type: Conv2d, in_channels: 2, out_channels: 2, kernel_size: [4, 3], dilation: 2, padding: same}
              - {type: Conv2d, in_channels: 2, out_channels: 3, kernel_size: 7, padding: same}
            """)
        let spec = try #require(result.spec, "\(result.diagnostics.map(\.message))")
        #expect(spec.layers.map(\.output.description) == ["[N, 2, 5, 6]", "[N, 2, 5, 6]", "[N, 3, 5, 6]"])
        #expect(spec.multAdds == 2 * 5 * 6 * 4 + 2 * 5 * 6 * 2 * 12 + 3 * 5 * 6 * 2 * 49)
        let strided = validate(
            "nnspec: 1\ninput: [N, 1, 5, 6]\nlayers:\n  - {type: Conv2d, in_channels: 1, out_channels: 2, kernel_size: 2, stride: [1, 2], padding: same}\n")
        #expect(errorMessages(strided) == [
            "layer 0 (Conv2d) padding 'same' needs stride 1, not 1×2: PyTorch does not support it for strided convolutions"
        ])
        #expect(strided.diagnostics.first?.mark == SourceMark(line: 4, column: 94))
    }

    @Test func unreadableFilesAreDiagnosedNotThrown() {
        let missing = SpecValidator.standard.validate(file: "/nonexistent/spec.yaml")
        #expect(errorMessages(missing) == ["cannot read the spec: it does not exist"])
        let directory = SpecValidator.standard.validate(file: repositoryRoot.appending(path: "specs").path)
        #expect(errorMessages(directory).first?.hasPrefix("cannot read the spec: cannot read it") == true)
        #expect(errorMessages(validate("")) == ["the spec is empty"])
        #expect(errorMessages(validate("- a\n- b\n")).first?.hasPrefix("the spec must be a mapping") == true)
    }

    /// Every optimizer argument NN implements is accepted, with PyTorch's default when omitted.
    @Test func optimizerArgumentsOfNNAreAcceptedWithPyTorchsDefaults() throws {
        let cases: [(written: String, expected: [String: ArgumentValue])] = [
            ("{type: SGD, lr: 0.1, maximize: true}", ["maximize": .boolean(true), "nesterov": .boolean(false)]),
            ("Adam", ["amsgrad": .boolean(false), "maximize": .boolean(false), "decoupled_weight_decay": .boolean(false)]),
            ("{type: Adam, amsgrad: true, decoupled_weight_decay: true}",
             ["amsgrad": .boolean(true), "decoupled_weight_decay": .boolean(true), "weight_decay": .real(0)]),
            ("{type: AdamW, amsgrad: true, maximize: true}",
             ["amsgrad": .boolean(true), "maximize": .boolean(true), "weight_decay": .real(0.01)]),
            ("{type: RMSprop, maximize: true}", ["maximize": .boolean(true), "centered": .boolean(false)]),
        ]
        for (written, expected) in cases {
            let result = validate("nnspec: 1\ninput: [N, 4]\nlayers: [{type: Linear, in_features: 4, out_features: 2}]\noptimizer: \(written)\n")
            let optimizer = try #require(result.spec?.optimizer, "\(written): \(result.diagnostics.map(\.message))")
            for (name, value) in expected {
                #expect(optimizer.arguments[name] == value, "\(written) \(name)")
            }
        }
        let unknown = validate("nnspec: 1\ninput: [N, 4]\nlayers: [Flatten]\noptimizer: {type: AdamW, decoupled_weight_decay: true}\n")
        #expect(errorMessages(unknown) == ["AdamW has no argument 'decoupled_weight_decay'"])
    }

    /// BatchNorm's `momentum: null` (PyTorch's None: a cumulative average) and keyword `bias`.
    @Test func batchNormTakesMomentumNoneAndBias() throws {
        let result = validate(
            """
            nnspec: 1
            input: [N, 3, 4, 4]
            layers:
              - {name: bn, type: BatchNorm2d, num_features: 3, momentum: null, bias: false}
            """)
        let spec = try #require(result.spec, "\(result.diagnostics.map(\.message))")
        #expect(spec.layers[0].arguments["momentum"] == ArgumentValue.none)
        #expect(spec.namedParameters.map(\.name) == ["bn.weight"])
        #expect(spec.namedBuffers.map(\.name) == ["bn.running_mean", "bn.running_var", "bn.num_batches_tracked"])
        let refused = validate("nnspec: 1\ninput: [N, 3]\nlayers: [{type: Linear, in_features: 3, out_features: null}]\n")
        #expect(errorMessages(refused).count == 1)
    }
}
