import NNCatalogue

/// Why a training run stops without finishing: each message names the file, step, layer or value
/// to blame, ready to print after `error: `.
public enum TrainingError: Error, CustomStringConvertible {
    /// The spec could not be turned into modules, a loss or an optimizer.
    case build(BuildError)
    /// A data file or data setting is bad (the message names the file and byte offset).
    case data(DataError)
    /// The model would not fit in memory; nothing was allocated.
    case memory(MemoryEstimate, available: Int)
    /// The loss became NaN or infinite at `step` (1-based); `layer` is the first layer whose output
    /// was not finite when the batch was run again layer by layer, if one was.
    case nonFinite(step: Int, epoch: Int, loss: Float, layer: NonFiniteLayer?)
    /// A forward pass, backward pass or optimizer step refused its inputs.
    case computation(step: Int, String)
    /// An evaluation-mode forward pass (predict, eval) refused its inputs.
    case inference(String)
    /// A checkpoint could not be written, read or applied.
    case checkpoint(String)
    /// A weights file (`--init`, `--save`) could not be read, applied or written.
    case weights(String)
    /// An option that does not fit the spec or the other options.
    case invalidOption(String)
    /// A file the run writes (`--log`) could not be written; the last checkpoint is unchanged.
    case output(String)

    public var description: String {
        switch self {
        case .build(let error): error.description
        case .data(let error): error.description
        case .memory(let estimate, let available): estimate.refusal(available: available)
        case .nonFinite(let step, let epoch, let loss, let layer):
            "the loss became \(loss.isNaN ? "NaN" : loss > 0 ? "+infinity" : "-infinity") at step \(step) (epoch \(epoch + 1))"
                + (layer.map { "; the first non-finite layer output is \($0)" } ?? "; every layer output was finite, so the loss itself overflowed")
                + (layer?.isInput == true
                    ? "; the data itself holds them: check the data files (or the transforms); training stopped"
                    : "; training stopped (try a smaller learning rate)")
        case .computation(let step, let message): "step \(step): \(message)"
        case .inference(let message): "the forward pass failed: \(message)"
        case .checkpoint(let message), .weights(let message), .invalidOption(let message), .output(let message): message
        }
    }
}
