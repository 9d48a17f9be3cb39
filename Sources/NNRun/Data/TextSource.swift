import NNData
import NNTensor

extension Dataset {
    /// Next-character samples of `text`, as a character-level language model is trained in PyTorch:
    /// inputs [count, context] of character indices (as float32, which an Embedding reads as whole
    /// numbers), targets the next character at each position, `.positionClasses` [count, context]
    /// below `vocabulary.count`.
    ///
    /// - `characters`: the text's indices t cut into windows, sample i being t[i·T ..< i·T + T] with
    ///   targets t[i·T + 1 ... i·T + T] (`data[i:i+T]`, `data[i+1:i+T+1]`); the last incomplete window is left out.
    /// - `lines`: each non-empty line ℓ is `<s> ℓ` → `ℓ <s>`, padded to T with `<pad>` inputs and
    ///   `ignoreIndex` targets (CrossEntropyLoss's `ignore_index`), so padding adds nothing to the loss.
    ///
    /// Throws a located error for a character outside `vocabulary`, or a line longer than T − 1.
    public static func text(
        _ text: TextFile, vocabulary: TextVocabulary, context: Int, ignoreIndex: Int
    ) throws(DataError) -> Dataset {
        guard context > 0 else { throw .invalidArgument("a text source needs a positive context, got \(context)") }
        var inputs: [Float] = [], targets: [Int] = []
        switch vocabulary.unit {
        case .characters:
            let indices = try encoded(text.scalars[...], of: text, line: 1, vocabulary: vocabulary)
            let samples = (indices.count - 1) / context
            inputs.reserveCapacity(samples * context)
            targets.reserveCapacity(samples * context)
            for start in stride(from: 0, to: samples * context, by: context) {
                inputs += indices[start ..< start + context].map(Float.init)
                targets += indices[start + 1 ... start + context]
            }
        case .lines:
            let boundary = TextVocabulary.lineBoundaryIndex
            for (number, line) in text.lines.enumerated() where !line.isEmpty {
                guard line.count < context else {
                    throw .file(DataFileError(path: text.path, location: .line(number + 1),
                                              message: "the line has \(line.count) characters; \(context) positions hold at most \(context - 1) after <s>"))
                }
                let indices = try encoded(line, of: text, line: number + 1, vocabulary: vocabulary)
                let padding = context - indices.count - 1
                inputs += ([boundary] + indices).map(Float.init) + Array(repeating: Float(TextVocabulary.paddingIndex), count: padding)
                targets += indices + [boundary] + Array(repeating: ignoreIndex, count: padding)
            }
        }
        guard !targets.isEmpty else {
            throw .file(DataFileError(path: text.path, location: .file, message: "the text is too short for one sample of \(context) characters"))
        }
        return try Dataset(inputs: Tensor(shape: [inputs.count / context, context], scalars: inputs),
                           targets: .positionClasses(indices: targets, positions: context, classCount: vocabulary.count))
    }

    /// The vocabulary indices of `scalars`, which start line `line` of `text`; a character outside
    /// the vocabulary is an error at its line and column.
    private static func encoded(
        _ scalars: ArraySlice<Unicode.Scalar>, of text: TextFile, line: Int, vocabulary: TextVocabulary
    ) throws(DataError) -> [Int] {
        var indices: [Int] = []
        indices.reserveCapacity(scalars.count)
        var (line, column) = (line, 1)
        for scalar in scalars {
            guard let index = vocabulary.index(of: scalar) else {
                throw .file(DataFileError(path: text.path, location: .text(line: line, column: column),
                                          message: "the character \(VisibleText.escaped(String(Character(scalar)))) is not in the training text's vocabulary"))
            }
            indices.append(index)
            (line, column) = scalar == "\n" ? (line + 1, 1) : (line, column + 1)
        }
        return indices
    }
}
