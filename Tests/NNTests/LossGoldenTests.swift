import NN
import NNTensor
import Testing

/// make_reference.py's LOSSES, each with reduction mean, sum and none: the loss of PyTorch's input
/// and target, and the input gradient after `backward(gradient:)` with the given output gradient.
@Suite struct LossGoldenTests {
    static let losses = ["mse", "l1", "smooth_l1", "smooth_l1_beta", "cross_entropy", "cross_entropy_label_smoothing",
                         "nll", "bce", "bce_with_logits", "cross_entropy_positions", "cross_entropy_positions_smoothing",
                         "nll_positions"]
    static let cases = losses.flatMap { loss in Reduction.allCases.map { "\(loss).\($0.rawValue)" } }

    static func makeLoss(_ config: ReferenceConfig) throws -> any Loss {
        let reduction = try #require(config.string("reduction").flatMap(Reduction.init(rawValue:)))
        switch config.type {
        case "MSELoss": return MSELoss(reduction: reduction)
        case "L1Loss": return L1Loss(reduction: reduction)
        case "SmoothL1Loss": return try SmoothL1Loss(reduction: reduction, beta: config.double("beta") ?? 1.0)
        case "CrossEntropyLoss":
            return try CrossEntropyLoss(weight: classWeight(config), ignoreIndex: config.int("ignore_index") ?? -100,
                                        reduction: reduction, labelSmoothing: config.double("label_smoothing") ?? 0)
        case "NLLLoss": return NLLLoss(weight: classWeight(config), ignoreIndex: config.int("ignore_index") ?? -100, reduction: reduction)
        case "BCELoss": return BCELoss(reduction: reduction)
        case "BCEWithLogitsLoss": return BCEWithLogitsLoss(reduction: reduction)
        default: throw NNError.invalidArgument("no loss \(config.type) in this test")
        }
    }

    /// The case's per-class `weight` [C], when it has one.
    static func classWeight(_ config: ReferenceConfig) -> Tensor? {
        config.doubles("weight").map { Tensor(shape: [$0.count], scalars: $0.map(Float.init)) }
    }

    @Test(arguments: cases)
    func lossAndInputGradientMatchPyTorch(_ name: String) throws {
        let file = try Reference.load("losses.safetensors")
        let config = try ReferenceConfig(file, name)
        let loss = try Self.makeLoss(config)
        let input = Variable(try file.tensor(named: "\(name).input"), requiresGrad: true)
        let target = try file.tensor(named: "\(name).target")
        let isClassTarget = ["CrossEntropyLoss", "NLLLoss"].contains(config.type)
        let output = try loss(input, isClassTarget ? .classes(target.scalars.map { Int($0) }) : .values(target))
        expectClose(output.value, try file.tensor(named: "\(name).output"), "\(name) loss")
        try output.backward(gradient: try file.tensor(named: "\(name).grad_output"))
        expectClose(try #require(input.grad), try file.tensor(named: "\(name).grad_input"), "\(name) input gradient")
    }

    @Test func everyReferenceCaseIsTested() throws {
        let file = try Reference.load("losses.safetensors")
        #expect(Set(try Reference.metadata(file).keys) == Set(Self.cases))
    }
}
