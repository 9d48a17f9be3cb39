import NNTensor
import Testing
@testable import NN

/// Values from PyTorch 2.15 (float32), produced by:
/// ```python
/// bn = nn.BatchNorm1d(2); x = torch.tensor([[1.,2.],[3.,-1.],[-2.,0.5]])
/// y = bn(x); print(y, bn.running_mean, bn.running_var, bn.num_batches_tracked); bn.eval(); print(bn(x))
/// bn2 = nn.BatchNorm1d(2, momentum=None); bn2(x); bn2(x*2); print(bn2.running_mean, bn2.running_var)
/// ce = nn.CrossEntropyLoss(weight=torch.tensor([0.5,2.,1.]), ignore_index=-1, label_smoothing=0.1)
/// print(ce(torch.tensor([[1.,2.,0.5],[0.,-1.,3.],[2.,2.,2.]]), torch.tensor([1,-1,2])))
/// print(nn.BCELoss()(torch.tensor([0.,1.,0.3]), torch.tensor([1.,1.,0.])))
/// print(nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.,0.5]))(torch.tensor([[0.3,-2.],[50.,-50.]]),
///                                                             torch.tensor([[1.,0.],[0.,1.]])))
/// print(nn.AdaptiveAvgPool2d((2,3))(torch.arange(20.).reshape(1,1,4,5)))
/// print(nn.SmoothL1Loss(beta=0.5, reduction='sum')(torch.tensor([0.,1.,3.]), torch.tensor([0.2,0.,0.])))
/// print(F.conv2d(torch.arange(12.).reshape(1,1,3,4), torch.tensor([[[[1.,2.],[3.,4.]]]]), padding='same'))
/// print(nn.Softmax()(torch.tensor([[1.,2.,0.5],[0.,-1.,3.]])))          # dim None: dim 1 of a 2-D input
/// print(nn.LogSoftmax()(torch.tensor([[[1.,2.,0.5]],[[0.,-1.,3.]]])))   # dim None: dim 0 of a 3-D input
/// ```
@Suite("Layer behaviour against PyTorch values")
struct LayerBehaviourTests {
    let batch = Variable(Tensor(shape: [3, 2], scalars: [1, 2, 3, -1, -2, 0.5]))

    func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= tolerance * max(1, abs(e)), "\(actual) vs \(expected)", sourceLocation: sourceLocation)
        }
    }

    @Test func batchNormTrainingUpdatesRunningStatisticsAndEvalUsesThem() throws {
        let layer = try BatchNorm1d(numFeatures: 2)
        expectClose(try layer(batch).value.scalars, [0.16222122, 1.22474074, 1.13554859, -1.22474074, -1.29776978, 0])
        expectClose(layer.runningMean!.value.scalars, [0.06666667, 0.05])
        expectClose(layer.runningVar!.value.scalars, [1.5333333, 1.125])
        #expect(layer.numBatchesTracked!.value.scalars == [1])
        layer.eval()
        expectClose(try layer(batch).value.scalars, [0.7537322, 1.83846951, 2.36887264, -0.98994511, -1.66897845, 0.4242622])
        #expect(layer.numBatchesTracked!.value.scalars == [1])
    }

    @Test func batchNormWithoutMomentumKeepsCumulativeAverage() throws {
        let layer = try BatchNorm1d(numFeatures: 2, momentum: nil)
        _ = try layer(batch)
        _ = try layer(Variable(batch.value.mapped { $0 * 2 }))
        expectClose(layer.runningMean!.value.scalars, [1, 0.75])
        expectClose(layer.runningVar!.value.scalars, [15.833334, 5.625])
    }

    @Test func batchNormRefusesOneValuePerChannelInTraining() throws {
        let layer = try BatchNorm1d(numFeatures: 2)
        #expect(throws: NNError.shapeMismatch("BatchNorm1d: expected more than 1 value per channel when training, got input [1, 2]")) {
            try layer(Variable(Tensor(zeros: [1, 2])))
        }
        layer.eval()
        #expect(try layer(Variable(Tensor(zeros: [1, 2]))).shape == [1, 2])
    }

    @Test func dropoutIsIdentityInEvalAndSeededInTraining() throws {
        var first = RandomGenerator(seed: 3), second = RandomGenerator(seed: 3)
        let layerA = try Dropout(p: 0.5, generator: &first), layerB = try Dropout(p: 0.5, generator: &second)
        let input = Variable(Tensor(repeating: 1, shape: [1000]))
        let outputA = try layerA(input).value, outputB = try layerB(input).value
        #expect(outputA == outputB)
        #expect(Set(outputA.scalars) == [0, 2])
        let kept = outputA.scalars.filter { $0 != 0 }.count
        #expect((430...570).contains(kept))
        #expect(try layerA(input).value != outputA)
        layerA.eval()
        #expect(try layerA(input) === input)
    }

    @Test func crossEntropyWithWeightIgnoreAndSmoothing() throws {
        let loss = try CrossEntropyLoss(weight: Tensor(shape: [3], scalars: [0.5, 2, 1]), ignoreIndex: -1, labelSmoothing: 0.1)
        let logits = Variable(Tensor(shape: [3, 3], scalars: [1, 2, 0.5, 0, -1, 3, 2, 2, 2]))
        expectClose(try loss(logits, classes: [1, -1, 2]).value.scalars, [0.69120979])
    }

    @Test func binaryLossesClampAndStabilise() throws {
        let bce = try BCELoss()(Variable(Tensor(shape: [3], scalars: [0, 1, 0.3])), Tensor(shape: [3], scalars: [1, 1, 0]))
        expectClose(bce.value.scalars, [33.45222473])
        let logits = Variable(Tensor(shape: [2, 2], scalars: [0.3, -2, 50, -50]))
        let withLogits = try BCEWithLogitsLoss(posWeight: Tensor(shape: [2], scalars: [2, 0.5]))(logits, Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
        expectClose(withLogits.value.scalars, [19.05891037])
    }

    @Test func adaptiveAveragePoolingBins() throws {
        let input = Variable(Tensor(shape: [1, 1, 4, 5], scalars: (0..<20).map(Float.init)))
        expectClose(try AdaptiveAvgPool2d(outputSize: .pair(2, 3))(input).value.scalars, [3, 4.5, 6, 13, 14.5, 16])
    }

    @Test func samePaddingWithAnEvenKernelPadsAfter() throws {
        var generator = RandomGenerator(seed: 0)
        let conv = try Conv2d(inChannels: 1, outChannels: 1, kernelSize: 2, padding: .same, bias: false, generator: &generator)
        conv.weight.value = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
        let output = try conv(Variable(Tensor(shape: [1, 1, 3, 4], scalars: (0..<12).map(Float.init))))
        #expect(output.shape == [1, 1, 3, 4])
        expectClose(output.value.scalars, [34, 44, 54, 24, 74, 84, 94, 40, 26, 29, 32, 11])
    }

    @Test func softmaxWithoutDimPicksPyTorchsImplicitDimension() throws {
        let scalars: [Float] = [1, 2, 0.5, 0, -1, 3]
        expectClose(try Softmax(dim: nil)(Variable(Tensor(shape: [2, 3], scalars: scalars))).value.scalars,
                    [0.23122390, 0.62853169, 0.14024438, 0.04661262, 0.01714783, 0.93623954])
        expectClose(try LogSoftmax(dim: nil)(Variable(Tensor(shape: [2, 1, 3], scalars: scalars))).value.scalars,
                    [-0.31326166, -0.04858733, -2.57888985, -1.31326163, -3.04858732, -0.07888975])
    }

    @Test func smoothL1Sum() throws {
        let loss = try SmoothL1Loss(reduction: .sum, beta: 0.5)
        expectClose(try loss(Variable(Tensor(shape: [3], scalars: [0, 1, 3])), Tensor(shape: [3], scalars: [0.2, 0, 0])).value.scalars, [3.54])
    }
}
