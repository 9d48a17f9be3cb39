import NNData

/// The `data:` block, resolved: where samples come from and how they are batched.
public struct DataSpec: Sendable {
    /// Samples per batch (PyTorch DataLoader's default is 1).
    public var batchSize: Int
    /// Reshuffle the training samples every epoch (seeded by `train.seed`).
    public var shuffle: Bool
    /// Drop the last incomplete batch.
    public var dropLast: Bool
    /// Applied in order to every input sample of both splits.
    public var transforms: [DataTransform]
    public var train: DataSource?
    public var test: DataSource?
    /// `target: input`: each sample's transformed input is its target (reconstruction, autoencoders);
    /// the sources' labels are not used.
    public var targetIsInput = false
}

/// One input transform.
public enum DataTransform: Sendable, Equatable {
    /// x · factor (e.g. 1/255 for bytes).
    case scale(Double)
    /// (x − mean[c]) / std[c] per channel (one value: every channel).
    case normalize(mean: [Double], std: [Double])
    /// `padding` zeros on each side of the last two dimensions (28×28 → 32×32 with 2).
    case pad(Int)
}

/// Where one split's samples come from.
public enum DataSource: Sendable, Equatable {
    /// Seeded random inputs of the spec's input shape; targets fit the loss (class indices
    /// below `classes` — nil: the output's C — for CrossEntropyLoss/NLLLoss, values of the
    /// output's shape otherwise).
    case random(samples: Int, seed: Int, classes: Int?)
    /// MNIST-style IDX files (plain or .gz): images [count, H, W] (or [count, C, H, W]) and labels [count].
    /// A sample is reshaped to the input's sample shape when the element counts agree (28×28
    /// images for an input [N, 784]); the validator has checked that they do, after `pad`.
    /// Paths are as the trainer opens them: absolute, or joined to the spec's directory.
    case idx(images: String, labels: String, limit: Int?)
    /// A CSV file: one sample a row, the label in `labelColumn`, features in the other columns
    /// (`header`: the first row holds names and is skipped). With `targetColumns`, those columns are
    /// float targets [N, k] instead of a label, and all others are features. Columns are as the spec
    /// names them, by index or by header name (checked against the header when the file exists, and
    /// found in the header of the file read). The path is resolved as for `idx`.
    case csv(path: String, labelColumn: CSVColumn, targetColumns: [CSVColumn]?, header: Bool, limit: Int?)
    /// A UTF-8 text file as character indices with next-character targets, cut by `unit`; the
    /// vocabulary is the train split's (`TextVocabulary`). The path is resolved as for `idx`.
    case text(path: String, unit: TextUnit, limit: Int?)
}
