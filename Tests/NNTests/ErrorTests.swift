import NNTensor
import Testing
@testable import NN

@Suite("Errors name the shapes and values")
struct ErrorTests {
    var generator = RandomGenerator(seed: 51)

    @Test mutating func layersRefuseMismatchedInputs() throws {
        let linear = try Linear(inFeatures: 400, outFeatures: 120, generator: &generator)
        #expect(throws: NNError.shapeMismatch("Linear(in_features=400, out_features=120) expects input [*, 400] but got [1, 576]")) {
            try linear(Variable(Tensor(zeros: [1, 576])))
        }
        let conv = try Conv2d(inChannels: 3, outChannels: 6, kernelSize: 5, generator: &generator)
        #expect(throws: NNError.shapeMismatch("Conv2d(3, 6) expects input [N, 3, H, W] but got [1, 1, 32, 32]")) {
            try conv(Variable(Tensor(zeros: [1, 1, 32, 32])))
        }
        #expect(throws: NNError.shapeMismatch("Conv2d kernel 5×5 (padding (0, 0), dilation (1, 1)) does not fit input [1, 3, 4, 4]")) {
            try conv(Variable(Tensor(zeros: [1, 3, 4, 4])))
        }
        #expect(throws: NNError.shapeMismatch("MaxPool2d expects input [N, C, H, W] but got [4, 4]")) {
            try MaxPool2d(kernelSize: 2)(Variable(Tensor(zeros: [4, 4])))
        }
        #expect(throws: NNError.shapeMismatch("BatchNorm2d(16) expects 16 channels in dim 1 but got input [2, 6, 5, 5]")) {
            try BatchNorm2d(numFeatures: 16)(Variable(Tensor(zeros: [2, 6, 5, 5])))
        }
        #expect(throws: NNError.shapeMismatch("BatchNorm1d expects input [N, 4] or [N, 4, L] but got [2, 4, 1, 1]")) {
            try BatchNorm1d(numFeatures: 4)(Variable(Tensor(zeros: [2, 4, 1, 1])))
        }
        #expect(throws: NNError.shapeMismatch("LayerNorm: given normalized_shape=[10], expected input with shape [*, 10], but got input of shape [2, 5]")) {
            try LayerNorm(normalizedShape: [10])(Variable(Tensor(zeros: [2, 5])))
        }
        #expect(throws: NNError.shapeMismatch("Add needs inputs of one shape but got [2, 3] and [2, 4]")) {
            try Add()([Variable(Tensor(zeros: [2, 3])), Variable(Tensor(zeros: [2, 4]))])
        }
        #expect(throws: NNError.shapeMismatch("Concat along dim 1 needs matching sizes except dim 1 but got [2, 3] and [3, 3]")) {
            try Concat(dim: 1)([Variable(Tensor(zeros: [2, 3])), Variable(Tensor(zeros: [3, 3]))])
        }
        #expect(throws: NNError.invalidArgument("Softmax: dim 2 is out of range for a tensor of rank 2")) {
            try Softmax(dim: 2)(Variable(Tensor(zeros: [2, 3])))
        }
        #expect(throws: NNError.shapeMismatch("Reshape to [4, 2] (8 elements per sample) got input [3, 2, 3] (6 per sample)")) {
            try Reshape(shape: [4, 2])(Variable(Tensor(zeros: [3, 2, 3])))
        }
        #expect(throws: NNError.shapeMismatch("Reshape cannot view samples of [2, 3] (6 elements) as [4, -1]")) {
            try Reshape(shape: [4, -1])(Variable(Tensor(zeros: [3, 2, 3])))
        }
        #expect(throws: NNError.invalidArgument("ReLU takes 1 input but was given 2")) {
            try ReLU()([Variable(Tensor(zeros: [1])), Variable(Tensor(zeros: [1]))])
        }
    }

    @Test mutating func constructorsRefuseBadArguments() {
        #expect(throws: NNError.invalidArgument("Conv2d: in_channels 3 and out_channels 6 must both be divisible by groups 2")) {
            try Conv2d(inChannels: 3, outChannels: 6, kernelSize: 3, groups: 2, generator: &generator)
        }
        #expect(throws: NNError.invalidArgument("Conv2d: kernel_size must be positive but is 0")) {
            try Conv2d(inChannels: 1, outChannels: 1, kernelSize: 0, generator: &generator)
        }
        #expect(throws: NNError.invalidArgument("Conv2d: padding='same' is not supported for strided convolutions (stride 2)")) {
            try Conv2d(inChannels: 1, outChannels: 1, kernelSize: 3, stride: 2, padding: .same, generator: &generator)
        }
        #expect(throws: NNError.invalidArgument("MaxPool2d: padding 2 must be non-negative and at most half of kernel_size 2")) {
            try MaxPool2d(kernelSize: 2, padding: 2)
        }
        #expect(throws: NNError.invalidArgument("Dropout: probability has to be between 0 and 1, but got 1.5")) {
            try Dropout(p: 1.5, generator: &generator)
        }
        #expect(throws: NNError.invalidArgument("Reshape: shape [-1, 2, -1] may hold only one -1")) { try Reshape(shape: [-1, 2, -1]) }
        #expect(throws: NNError.invalidArgument("Reshape: shape [3, -2] has the invalid size -2 (sizes are ≥ 0, or -1 for one inferred size)")) {
            try Reshape(shape: [3, -2])
        }
        #expect(throws: NNError.invalidArgument("GELU: approximate must be 'none' or 'tanh' but is 'fast'")) { try GELU(approximate: "fast") }
        #expect(throws: NNError.invalidArgument("Linear: in_features must not be negative but is -1")) {
            try Linear(inFeatures: -1, outFeatures: 2, generator: &generator)
        }
    }

    @Test func lossesRefuseBadTargets() throws {
        let logits = Variable(Tensor(zeros: [2, 10]))
        #expect(throws: NNError.invalidArgument("CrossEntropyLoss: target 10 is out of bounds for 10 classes (input [2, 10])")) {
            try CrossEntropyLoss()(logits, classes: [3, 10])
        }
        #expect(throws: NNError.invalidArgument("NLLLoss: target -2 is out of bounds for 10 classes (input [2, 10])")) {
            try NLLLoss()(logits, classes: [-2, 0])
        }
        #expect(throws: NNError.shapeMismatch("CrossEntropyLoss input [2, 10] needs 2 targets (shape [2]) but got 3")) {
            try CrossEntropyLoss()(logits, classes: [1, 2, 3])
        }
        #expect(throws: NNError.invalidArgument("CrossEntropyLoss needs class indices as its target, not values (input [2, 10])")) {
            try CrossEntropyLoss()(logits, Tensor(zeros: [2, 10]))
        }
        #expect(throws: NNError.shapeMismatch("MSELoss input has shape [2, 10] but the target has shape [1, 10]")) {
            try MSELoss()(logits, Tensor(zeros: [1, 10]))
        }
        #expect(throws: NNError.invalidArgument("BCELoss: all elements of input should be between 0 and 1, but one is 1.5 (input [2])")) {
            try BCELoss()(Variable(Tensor(shape: [2], scalars: [0.5, 1.5])), Tensor(zeros: [2]))
        }
        // As PyTorch's "all elements of target should be between 0 and 1".
        #expect(throws: NNError.invalidArgument("BCELoss: all elements of target should be between 0 and 1, but one is -0.25 (target [2])")) {
            try BCELoss()(Variable(Tensor(shape: [2], scalars: [0.5, 0.5])), Tensor(shape: [2], scalars: [1, -0.25]))
        }
    }

    @Test func backwardRefusesWrongSeeds() throws {
        let parameter = Variable(Tensor(zeros: [2, 3]), requiresGrad: true)
        let output = try ReLU()(parameter)
        #expect(throws: NNError.invalidArgument("backward() needs a scalar output but got shape [2, 3]; use backward(gradient:)")) {
            try output.backward()
        }
        #expect(throws: NNError.shapeMismatch("backward gradient has shape [3] but the output has shape [2, 3]")) {
            try output.backward(gradient: Tensor(zeros: [3]))
        }
        #expect(throws: NNError.invalidArgument("backward() on a variable that does not require a gradient (shape [])")) {
            try Variable(Tensor(scalar: 1)).backward()
        }
    }
}
