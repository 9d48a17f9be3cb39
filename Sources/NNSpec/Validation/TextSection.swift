import NNData

/// A `source: text` split, checked before anything is built: the input takes character indices
/// [N, T], the loss scores the vocabulary at every position ([N, V, T], CrossEntropyLoss's layout),
/// the train split's text gives the vocabulary (V, which the first Embedding and the output must
/// have), and the test split's text has no character outside it.
extension SpecValidation {
    mutating func checkTextSource(
        _ file: (path: String, node: YAMLNode), unit: TextUnit, split: String, sourceNode: YAMLNode,
        input: TensorShape?, output: TensorShape?, loss: ResolvedLoss?
    ) {
        let context = textContext(input: input, at: sourceNode)
        var scoredOutput = output
        if let context, let loss, loss.target == .classIndices, let output, output.rank != 3 || output.sampleSizes.last != context {
            scoredOutput = nil
            diagnostics.error(
                "a text source gives a next character at each of the \(context) positions, so \(loss.typeName) needs the output [N, vocabulary, \(context)], but the network output is \(output)",
                at: sourceNode, hint: "score the vocabulary with a Linear, then {call: torch.transpose, dim0: 1, dim1: 2} turns [N, T, V] into [N, V, T]")
        }
        guard let text = readHeader(file, what: "text", { (path) throws(DataFileError) in try TextFile.read(path: path) }) else { return }
        let vocabulary: TextVocabulary
        if split == "train" {
            do {
                vocabulary = try TextVocabulary(training: text, unit: unit)
            } catch {
                diagnostics.error(DataFileError(path: file.path, location: error.location, message: error.message).description, at: file.node)
                return
            }
            textVocabulary = vocabulary
        } else {
            guard let training = textVocabulary else {
                diagnostics.error(
                    "a text \(split) split needs a text train split: the vocabulary is built from the training text", at: sourceNode,
                    hint: "add train: {source: text, path: …} with the training text")
                return
            }
            guard training.unit == unit else {
                diagnostics.error("the \(split) split cuts its text by \(unit.rawValue) but the train split by \(training.unit.rawValue)",
                                  at: sourceNode)
                return
            }
            vocabulary = training
            checkCharacters(of: text, in: vocabulary, file: file)
        }
        if let context { checkSamples(of: text, unit: unit, context: context, file: file) }
        // The test split shares the train split's vocabulary, checked there once.
        if split == "train" { checkVocabularySize(vocabulary.count, of: file, output: scoredOutput) }
    }

    /// T of an input [N, T], or nil (reported) when the input is not one.
    private mutating func textContext(input: TensorShape?, at node: YAMLNode) -> Int? {
        guard let input else { return nil }
        guard input.rank == 2, let context = input.sampleSizes.first else {
            diagnostics.error("a text source gives character indices [N, T], but the input is \(input)", at: node,
                              hint: "write input: [N, 32] for samples of 32 characters")
            return nil
        }
        return context
    }

    /// At least one sample; with `lines`, every line fits the context with its `<s>`.
    private mutating func checkSamples(of text: TextFile, unit: TextUnit, context: Int, file: (path: String, node: YAMLNode)) {
        switch unit {
        case .characters:
            if text.scalars.count <= context {
                diagnostics.error(
                    "\(file.path) has \(text.scalars.count) characters, too few for one sample of \(context) and its next character",
                    at: file.node)
            }
        case .lines:
            let lines = text.lines
            if let longest = lines.indices.max(by: { lines[$0].count < lines[$1].count }), lines[longest].count + 1 > context {
                diagnostics.error(
                    "line \(longest + 1) of \(file.path) has \(lines[longest].count) characters, but the input's \(context) positions hold lines of at most \(context - 1) (after <s>)",
                    at: file.node, hint: "write input: [N, \(lines[longest].count + 1)]")
            } else if !lines.contains(where: { !$0.isEmpty }) {
                diagnostics.error("\(file.path) has no line with characters to train on", at: file.node)
            }
        }
    }

    /// Reports the first character of `text` that the training vocabulary lacks, at its line and column.
    private mutating func checkCharacters(of text: TextFile, in vocabulary: TextVocabulary, file: (path: String, node: YAMLNode)) {
        var (line, column) = (1, 1)
        for scalar in text.scalars {
            defer { (line, column) = scalar == "\n" ? (line + 1, 1) : (line, column + 1) }
            guard vocabulary.index(of: scalar) != nil || (scalar == "\n" && vocabulary.unit == .lines) else {
                let message = "the character \(VisibleText.escaped(String(Character(scalar)))) is not in the training text's vocabulary"
                diagnostics.error(DataFileError(path: file.path, location: .text(line: line, column: column), message: message).description,
                                  at: file.node, hint: "the vocabulary is built from the train split's text")
                return
            }
        }
    }

    /// The vocabulary's size against the classes the network scores and its first Embedding's rows.
    private mutating func checkVocabularySize(_ size: Int, of file: (path: String, node: YAMLNode), output: TensorShape?) {
        if let output, output.rank == 3, let classes = output.sampleSizes.first, classes != size {
            diagnostics.error(
                "the vocabulary of \(file.path) has \(size) tokens, but the network output \(output) scores \(classes)", at: file.node,
                hint: "the Linear that scores the tokens needs out_features: \(size)")
        }
        if let embedding = resolvedLayers.first(where: { $0.typeName == "Embedding" }),
            let rows = embedding.arguments.integer("num_embeddings"), rows != size
        {
            diagnostics.error(
                "\(embedding.name) has num_embeddings \(rows), but the vocabulary of \(file.path) has \(size) tokens",
                at: embedding.arguments.node("num_embeddings") ?? file.node, hint: "write num_embeddings: \(size)")
        }
    }
}
