import NN
import NNSpec
import NNTensor

/// One training step of a spec's network on a fixed random batch (normal inputs, or token ids below
/// an Embedding's num_embeddings when the network starts with one; uniform class labels, one per
/// position for an output [N, C, d1, …]): CrossEntropyLoss, backward, SGD (lr 0.01, momentum 0.9). What `nnspec bench` times and
/// `StepAllocations` counts. The step runs through a `TrainingPlan` when the network has one and
/// `planned` is true, else through autograd.
public final class BenchmarkStep {
    public let network: Module
    public let optimizer: SGD
    /// [batch] + the spec's sample shape.
    public let input: Variable
    public let classes: [Int]
    public let loss: CrossEntropyLoss
    /// The plan the step runs, or nil when it runs through autograd.
    public let plan: TrainingPlan?
    /// Why the network has no plan (nil when it has one, or when none was asked for).
    public let planRefusal: String?

    public init(spec: ValidatedSpec, batch: Int, planned: Bool = true) throws {
        var generator = RandomGenerator(seed: 0)
        network = try NetworkBuilder.build(spec, generator: &generator)
        optimizer = try SGD(network.parameters(), lr: 0.01, momentum: 0.9)
        loss = try CrossEntropyLoss()
        let shape = [batch] + spec.input.sampleSizes
        let (classCount, positions) = (spec.output.sampleSizes.first ?? 1, spec.output.sampleSizes.dropFirst().reduce(1, *))
        input = Variable(Self.randomInput(spec: spec, batch: batch, generator: &generator))
        classes = (0..<batch * positions).map { _ in generator.index(below: classCount) }
        var plan: TrainingPlan?, refusal: String?
        if planned {
            do throws(TrainingPlanError) {
                plan = try TrainingPlan(network: network, loss: loss, inputShape: shape)
            } catch {
                refusal = error.description
            }
        }
        self.plan = plan
        planRefusal = refusal
    }

    /// A batch [batch] + the input's sample shape of standard normals, or of token ids below the
    /// first Embedding's num_embeddings when the network starts with one.
    public static func randomInput(spec: ValidatedSpec, batch: Int, generator: inout RandomGenerator) -> Tensor {
        let shape = [batch] + spec.input.sampleSizes
        return Tensor(shape: shape, scalars: (0..<shape.elementCount).map { _ in
            if let tokens = spec.inputTokenCount { Float(generator.index(below: tokens)) } else { generator.normal() }
        })
    }

    /// One step: zeroGrad, forward, loss, backward, optimizer step; returns the loss.
    @discardableResult
    public func run() throws -> Float {
        optimizer.zeroGrad()
        let value: Float
        if let plan {
            value = try plan.step(input.value, classes: classes)
        } else {
            let lossVariable = try loss(network(input), classes: classes)
            try lossVariable.backward()
            value = lossVariable.value.scalar
        }
        try optimizer.step()
        return value
    }
}
