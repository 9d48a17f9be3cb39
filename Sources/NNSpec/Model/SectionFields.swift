/// The plain values of the `data:`, `train:` and `expect:` sections: kind, range and default,
/// declared once. The validator reads them through these declarations (`SpecValidation.field`)
/// and `nnspec schema` describes them.
public enum SectionFields {
    public static let batchSize = ArgumentSpec("batch_size", .integer(.positive), default: .integer(1), "samples per batch")
    public static let shuffle = ArgumentSpec("shuffle", .boolean, default: .boolean(false), "reshuffle the training split every epoch")
    public static let dropLast = ArgumentSpec("drop_last", .boolean, default: .boolean(false), "drop the last, smaller batch")

    public static let epochs = ArgumentSpec("epochs", .integer(.positive), default: .integer(1), "passes over the training data")
    public static let steps = ArgumentSpec("steps", .integer(.positive), "stop after this many optimizer steps (default: none)")
    public static let seed = ArgumentSpec(
        "seed", .integer(.nonNegative), default: .integer(0), "seeds initialisation, shuffling and random data")

    public static let parameters = ArgumentSpec("parameters", .integer(.nonNegative), "the number of learnable parameters")
    public static let lossBelow = ArgumentSpec("loss_below", .real(.any), "after training, the final training loss is below this")
    public static let lossAbove = ArgumentSpec("loss_above", .real(.any), "after training, the final training loss is above this")
    public static let accuracyAtLeast = ArgumentSpec(
        "accuracy_at_least", .real(.closedUnit), "after training, the test accuracy (a fraction) is at least this")
    public static let testLossBelow = ArgumentSpec(
        "test_loss_below", .real(.any), "after training, the mean loss on the test split is below this")
    public static let testSteps = ArgumentSpec("steps", .integer(.positive), "optimizer steps nnspec test trains")
    public static let testEpochs = ArgumentSpec("epochs", .integer(.positive), "epochs nnspec test trains")
    public static let testInit = ArgumentSpec("init", .path, "a safetensors file of initial weights")
    public static let expectedValue = ArgumentSpec("value", .real(.any), "the final training loss")
    public static let expectedFile = ArgumentSpec("file", .path, "a JSON file of recorded losses, metrics and weight checksums")
    public static let tolerance = ArgumentSpec(
        "tolerance", .real(.nonNegative), default: .real(Expectations.defaultTolerance), "the largest difference accepted")

    /// `data:`'s batching values.
    public static let data = [batchSize, shuffle, dropLast]
    /// `train:`'s values besides the scheduler and clip_grad_norm.
    public static let train = [epochs, steps, seed]
    /// `expect:`'s numbers.
    public static let expect = [parameters, lossBelow, lossAbove, accuracyAtLeast, testLossBelow]
    /// `expect: train:`.
    public static let testTraining = [testSteps, testEpochs, testInit]
    /// `expect: final_loss:`.
    public static let finalLoss = [expectedValue, tolerance]
    /// `expect: golden:` as a mapping.
    public static let golden = [expectedFile, tolerance]
}
