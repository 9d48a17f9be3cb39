import NNData

/// The kinds of `source:` a data split may name, each with its arguments and their defaults. The
/// validator reads a split against these declarations, `nnspec schema` describes them, and the
/// switches over this enum (validation) and over `DataSource` (loading) are exhaustive, so a new
/// kind is refused by the compiler until every place handles it.
public enum DataSourceKind: String, CaseIterable, Sendable {
    case random, idx, csv, text

    public var summary: String {
        switch self {
        case .random: "seeded random inputs of the spec's input shape, with targets that fit the loss"
        case .idx: "MNIST-style IDX files (plain or .gz): images [count, H, W] or [count, C, H, W] and labels [count]"
        case .csv: "a CSV file of numbers, one sample a row: features, and the class label in label_column (or float targets in target_columns)"
        case .text: "a UTF-8 text file as character indices [N, T] (T: the input's) with next-character targets [N, T]; the vocabulary comes from the train split's text"
        }
    }

    /// The split's arguments besides `source`.
    public var arguments: [ArgumentSpec] {
        let limit = ArgumentSpec("limit", .integer(.positive), default: ArgumentValue.none, "use only the first limit samples")
        switch self {
        case .random:
            return [
                ArgumentSpec("samples", .integer(.positive), "the number of samples"),
                ArgumentSpec("seed", .integer(.nonNegative), default: .integer(0), "seeds the inputs and targets"),
                ArgumentSpec(
                    "classes", .integer(.positive), default: ArgumentValue.none,
                    "class indices below this (None: the output's C) for a loss on classes"),
            ]
        case .idx:
            return [
                ArgumentSpec("images", .path, "the images file"),
                ArgumentSpec("labels", .path, "the labels file"),
                limit,
            ]
        case .csv:
            return [
                ArgumentSpec("path", .path, "the CSV file"),
                ArgumentSpec("label_column", .column, default: .columns([.index(0)]), "the column of the class label, by index or header name"),
                ArgumentSpec(
                    "target_columns", .columns, default: ArgumentValue.none,
                    "columns (indices or header names) of float targets [N, k] for a loss on values (regression), instead of a label; the other columns are the inputs"),
                ArgumentSpec("header", .boolean, default: .boolean(false), "the first row holds names and is skipped"),
                limit,
            ]
        case .text:
            return [
                ArgumentSpec("path", .path, "the text file (UTF-8, plain or .gz)"),
                ArgumentSpec(
                    "unit", .choice(TextUnit.allCases.map(\.rawValue)), default: .text(TextUnit.characters.rawValue),
                    "characters: the running text in windows of T; lines: one sample per line, <s> around it, padded with <pad>"),
                limit,
            ]
        }
    }

    /// True when the targets are class labels read from a file.
    public var readsLabels: Bool { self != .random }
}

/// The kinds of `transforms:` entry, each written `{KIND: VALUE}`.
public enum DataTransformKind: String, CaseIterable, Sendable {
    case scale, normalize, pad

    /// The value's declaration: one argument for `scale` and `pad`, `mean` and `std` for `normalize`.
    public var arguments: [ArgumentSpec] {
        switch self {
        case .scale: [ArgumentSpec("scale", .real(.any), "the factor every input value is multiplied by")]
        case .pad: [ArgumentSpec("pad", .integer(.nonNegative), "zeros added on each side of the last two dimensions")]
        case .normalize:
            [
                ArgumentSpec("mean", .reals(.any), "mean per channel (one value: every channel)"),
                ArgumentSpec("std", .reals(.positive), "standard deviation per channel"),
            ]
        }
    }

    /// How the entry is written, for messages.
    public var example: String {
        switch self {
        case .scale: "{scale: FACTOR}"
        case .normalize: "{normalize: {mean: […], std: […]}}"
        case .pad: "{pad: P}"
        }
    }
}
