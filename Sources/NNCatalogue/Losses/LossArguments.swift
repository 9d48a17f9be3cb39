import NN
import NNSpec

/// Arguments that several losses share, declared once.
enum LossArguments {
    static let reduction = ArgumentSpec(
        "reduction", .choice(["mean", "sum", "none"]), default: .text("mean"), "how per-element losses are combined")
    static let ignoreIndex = ArgumentSpec(
        "ignore_index", .integer(.any), default: .integer(-100), "a target value that does not contribute")
    static let classWeight = ArgumentSpec(
        "weight", .reals(.nonNegative), default: ArgumentValue.none, "a weight per class (length C)")
}

extension BuildArguments {
    /// The loss's `reduction`.
    func reduction() throws(BuildError) -> Reduction {
        let name = try text("reduction")
        guard let reduction = Reduction(rawValue: name) else { throw failure("reduction \(name) is not mean, sum or none") }
        return reduction
    }
}
