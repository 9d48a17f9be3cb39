import NN
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// `Predictor` runs a shape seen a second time through an `InferencePlan`, whose outputs are
/// autograd's evaluation-mode forward pass, bit for bit.
@Suite struct PredictorPlanTests {
    /// The outputs of `spec`'s network (seeded random weights) for a random batch of `batch`, planned
    /// and through autograd, and how the planned predictor ran the shape.
    private func outputs(_ spec: ValidatedSpec, batch: Int) throws -> (planned: Tensor, autograd: Tensor, execution: Predictor.Execution?) {
        var generator = RandomGenerator(seed: 3)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        let input = BenchmarkStep.randomInput(spec: spec, batch: batch, generator: &generator)
        let planned = Predictor(spec: spec, network: network), autograd = Predictor(spec: spec, network: network, plansShapes: false)
        let first = try planned.outputs(input)
        let second = try planned.outputs(input)
        #expect(first.shape == second.shape && first.scalars == second.scalars)
        return (second, try autograd.outputs(input), planned.execution(of: input.shape))
    }

    /// Every example network small enough for a debug build is planned for inference at batch 1
    /// and 3, with autograd's outputs (BatchNorm's running statistics, dropout off).
    @Test(arguments: ["autoencoder", "digits", "iris", "lenet", "lenet-auto", "mlp", "mnist", "names-bigram", "names-lstm", "names-transformer",
                      "regression", "resnet", "sunspots", "vgg"])
    func exampleNetworkPredictsAsThroughAutograd(name: String) throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("examples/\(name).yaml").path)
        for batch in [1, 3] {
            let (planned, autograd, execution) = try outputs(spec, batch: batch)
            guard case .planned = execution else {
                Issue.record("\(name) at batch \(batch) is not planned: \(String(describing: execution))")
                continue
            }
            #expect(planned.shape == autograd.shape)
            #expect(planned.scalars == autograd.scalars, "\(name) at batch \(batch)")
        }
    }

    /// specs/parity/upsampling-cnn.yaml (GroupNorm, InstanceNorm2d with affine parameters,
    /// ConvTranspose2d with output_padding, nearest and bilinear Upsample) is planned, with
    /// autograd's outputs.
    @Test func upSamplingNetworkPredictsAsThroughAutograd() throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("specs/parity/upsampling-cnn.yaml").path)
        let (planned, autograd, execution) = try outputs(spec, batch: 3)
        guard case .planned = execution else {
            Issue.record("not planned: \(String(describing: execution))")
            return
        }
        #expect(planned.scalars == autograd.scalars)
    }

    /// A network the plan does not cover (a bidirectional GRU) runs through autograd, and the
    /// reason is kept.
    @Test func unplannedNetworkRunsThroughAutograd() throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("specs/valid/sequences.yaml").path)
        let (planned, autograd, execution) = try outputs(spec, batch: 2)
        guard case .unplanned(let reason) = execution else {
            Issue.record("\(String(describing: execution))")
            return
        }
        #expect(reason.contains("bidirectional"), "\(reason)")
        #expect(planned.scalars == autograd.scalars)
    }

    /// BatchNorm1d over a single value per channel (batch 1) cannot train but evaluates with its
    /// running statistics, which a trained network has moved away from 0 and 1.
    @Test func batchNormOfOneSampleIsPlannedInEvaluationMode() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 4]
            layers:
              - {name: fc, type: Linear, in_features: 4, out_features: 3}
              - {name: bn, type: BatchNorm1d, num_features: 3}
              - ReLU
            loss: MSELoss
            optimizer: SGD
            data: {batch_size: 2, train: {source: random, samples: 4}}
            """)
        var generator = RandomGenerator(seed: 1)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        try network.load(Tensor(shape: [3], scalars: [0.5, -1, 2]), into: "bn.running_mean")
        try network.load(Tensor(shape: [3], scalars: [0.25, 4, 1.5]), into: "bn.running_var")
        let input = Tensor(shape: [1, 4], scalars: [1, -2, 0.5, 3])
        let planned = Predictor(spec: spec, network: network), autograd = Predictor(spec: spec, network: network, plansShapes: false)
        _ = try planned.outputs(input)
        let output = try planned.outputs(input)
        guard case .planned = planned.execution(of: [1, 4]) else {
            Issue.record("not planned")
            return
        }
        #expect(output.scalars == (try autograd.outputs(input)).scalars)
    }

    /// A shape is planned on its second batch; a fifth shape forgets the least recent one.
    @Test func shapesArePlannedOnTheirSecondBatchAndTheLastFourKept() throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("examples/iris.yaml").path)
        var generator = RandomGenerator(seed: 2)
        let predictor = Predictor(spec: spec, network: try NetworkBuilder.build(spec, generator: &generator))
        func run(_ batch: Int) throws { _ = try predictor.outputs(BenchmarkStep.randomInput(spec: spec, batch: batch, generator: &generator)) }
        func isPlanned(_ batch: Int) -> Bool? {
            switch predictor.execution(of: [batch, 4]) {
            case .planned: true
            case .seenOnce: false
            case .unplanned, nil: nil
            }
        }
        try run(5)
        #expect(isPlanned(5) == false)
        try run(5)
        #expect(isPlanned(5) == true)
        for batch in 1...4 { try run(batch) }
        #expect(isPlanned(5) == nil)
        #expect(isPlanned(1) == false)
    }

    /// A plan refuses to run once a layer's mode changed: BatchNorm planned over one value per
    /// channel in evaluation mode cannot normalise it in training mode.
    @Test func inferencePlanKeepsItsModes() throws {
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("examples/iris.yaml").path)
        var generator = RandomGenerator(seed: 2)
        let network = try NetworkBuilder.build(spec, generator: &generator)
        network.eval()
        let plan = try InferencePlan(network: network, inputShape: [2, 4])
        network.train()
        #expect(throws: NNError.self) { try plan.outputs(Tensor(zeros: [2, 4])) }
        network.eval()
        #expect(throws: NNError.self) { try plan.outputs(Tensor(zeros: [3, 4])) }
        #expect(try plan.outputs(Tensor(zeros: [2, 4])).shape == [2, 3])
    }
}
