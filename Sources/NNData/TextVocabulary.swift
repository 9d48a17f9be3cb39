/// How a text source cuts its text into samples: both read characters as tokens.
public enum TextUnit: String, CaseIterable, Sendable {
    /// The running text (newlines included) in windows of the context length.
    case characters
    /// One sample per non-empty line: `<s>`, its characters, `<s>`, padded with `<pad>`.
    case lines
}

/// The tokens of a character-level model: index i is the token the network's class i stands for.
///
/// Built from the training text, sorted by Unicode scalar value, so the same text always gives the
/// same indices. `unit: lines` puts two special tokens first: `<pad>` (index 0, the padding of
/// shorter lines: an Embedding's `padding_idx: 0`) and `<s>` (index 1, before and after each line).
/// Saved with the weights (NNRun's `VocabularyMetadata`) and read back by `init(unit:savedTokens:)`.
public struct TextVocabulary: Equatable, Sendable {
    public static let padding = "<pad>", boundary = "<s>"
    /// The indices of `padding` and `boundary` in a `lines` vocabulary.
    public static let paddingIndex = 0, lineBoundaryIndex = 1
    /// The most distinct characters a vocabulary holds (the classes of the output layer).
    public static let maximumSize = 65_536

    public let unit: TextUnit
    /// Index → token: a character, or a special token.
    public let tokens: [String]
    private let indices: [Unicode.Scalar: Int]

    /// The vocabulary of `text`: its distinct characters, sorted (without "\n" for `lines`), after the
    /// special tokens of `unit`. Throws when there are more than `maximumSize`.
    public init(training text: TextFile, unit: TextUnit) throws(DataFileError) {
        var distinct = Set(text.scalars)
        if unit == .lines { distinct.remove("\n") }
        guard distinct.count <= Self.maximumSize else {
            throw DataFileError(path: text.path, location: .file,
                                message: "the text has \(distinct.count) distinct characters, more than the \(Self.maximumSize) a vocabulary holds")
        }
        let characters = distinct.sorted { $0.value < $1.value }.map { String(Character($0)) }
        self.init(unit: unit, tokens: (unit == .lines ? [Self.padding, Self.boundary] : []) + characters)
    }

    private init(unit: TextUnit, tokens: [String]) {
        self.unit = unit
        self.tokens = tokens
        var indices: [Unicode.Scalar: Int] = [:]
        for (index, token) in tokens.enumerated() where token.unicodeScalars.count == 1 && !(unit == .lines && index < 2) {
            indices[token.unicodeScalars.first!] = index
        }
        self.indices = indices
    }

    public var count: Int { tokens.count }

    /// The index of a character, or nil when the training text did not have it.
    public func index(of scalar: Unicode.Scalar) -> Int? { indices[scalar] }

    /// The index that starts and ends a sample: `<s>` for lines, "\n" for characters when the text has
    /// newlines (one name per line); nil otherwise.
    public var boundaryIndex: Int? { unit == .lines ? Self.lineBoundaryIndex : indices["\n"] }

    /// A vocabulary as saved (`tokens` in index order); nil unless `unit`'s special tokens come first,
    /// every other token is one character, none repeats and there are at most `maximumSize`.
    public init?(unit: TextUnit, savedTokens tokens: [String]) {
        let specials = unit == .lines ? [Self.padding, Self.boundary] : []
        guard !tokens.isEmpty, tokens.count <= Self.maximumSize, Set(tokens).count == tokens.count,
            Array(tokens.prefix(specials.count)) == specials,
            tokens.dropFirst(specials.count).allSatisfy({ $0.unicodeScalars.count == 1 })
        else { return nil }
        self.init(unit: unit, tokens: tokens)
    }
}
