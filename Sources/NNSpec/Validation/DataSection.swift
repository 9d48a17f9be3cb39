import NNData

/// The `data:` section: batching, transforms, and each split's source, checked against the
/// network input (and, for files, against their headers) and the loss.
extension SpecValidation {
    static let dataKeys = ["batch_size", "shuffle", "drop_last", "transforms", "target", "train", "test"]

    mutating func dataSpec(
        _ node: YAMLNode, input: TensorShape?, output: TensorShape?, loss: ResolvedLoss?
    ) -> DataSpec? {
        guard let fields = MappingFields(node, known: Self.dataKeys, context: "data", diagnostics: &diagnostics) else { return nil }
        var data = DataSpec(batchSize: 1, shuffle: false, dropLast: false, transforms: [], train: nil, test: nil)
        data.batchSize = field(fields, SectionFields.batchSize, owner: "data")?.integerValue ?? data.batchSize
        data.shuffle = field(fields, SectionFields.shuffle, owner: "data")?.booleanValue ?? data.shuffle
        data.dropLast = field(fields, SectionFields.dropLast, owner: "data")?.booleanValue ?? data.dropLast
        data.transforms = fields["transforms"].map { transforms($0) } ?? []
        if let targetNode = fields["target"] {
            data.targetIsInput = checkInputTarget(targetNode, input: input, output: output, loss: loss)
        }
        if fields["train"] == nil, fields["test"] == nil {
            diagnostics.error("data needs a 'train' or 'test' split", at: node, hint: "for example train: {source: random, samples: 64}")
        }
        for split in ["train", "test"] {
            guard let splitNode = fields[split],
                let source = dataSource(splitNode, split: split, input: input, output: output, loss: data.targetIsInput ? nil : loss,
                                        transforms: data.transforms)
            else { continue }
            if split == "train" { data.train = source } else { data.test = source }
        }
        return data
    }

    /// `target: input`, checked against the loss (one on values) and the output (the input's shape);
    /// true when it is written so.
    private mutating func checkInputTarget(_ node: YAMLNode, input: TensorShape?, output: TensorShape?, loss: ResolvedLoss?) -> Bool {
        guard node.scalarText == "input", !node.isNull else {
            diagnostics.error("data target must be 'input' (each sample's input is its target), not \(node.kindDescription)", at: node,
                              hint: "leave target out to train on the source's labels")
            return false
        }
        if let loss, loss.target != .sameShapeAsOutput {
            diagnostics.error("\(loss.typeName) needs class indices, but target: input gives the inputs as targets", at: node,
                              hint: "use a loss on values such as MSELoss for reconstruction")
        } else if let input, let output, input.sampleSizes != output.sampleSizes {
            diagnostics.error("target: input needs the network output \(output) to have the input's shape \(input)", at: node)
        }
        return true
    }

    /// `transforms: [{scale: 0.00392}, {normalize: {mean: [0.13], std: [0.31]}}, {pad: 2}]`.
    private mutating func transforms(_ node: YAMLNode) -> [DataTransform] {
        guard let items = node.items else {
            diagnostics.error("data transforms must be a list such as [{pad: 2}], not \(node.kindDescription)", at: node)
            return []
        }
        var result: [DataTransform] = []
        for item in items {
            let examples = DataTransformKind.allCases.map(\.example)
            guard let pairs = item.pairs, pairs.count == 1, let name = pairs[0].keyText else {
                diagnostics.error(
                    "a transform is one of \(examples.dropLast().joined(separator: ", ")), \(examples.last!), not \(item.kindDescription)",
                    at: item)
                continue
            }
            let value = pairs[0].value
            guard let kind = DataTransformKind(rawValue: name) else {
                let known = DataTransformKind.allCases.map(\.rawValue)
                diagnostics.error(
                    "unknown transform '\(name)'", at: pairs[0].key,
                    hint: Suggestion.hint(for: name, in: known) ?? "known: \(known.joined(separator: ", "))")
                continue
            }
            switch kind {
            case .scale:
                if let factor = real(value, .any, label: "transform scale") { result.append(.scale(factor)) }
            case .pad:
                if let padding = integer(value, .nonNegative, label: "transform pad") { result.append(.pad(padding)) }
            case .normalize:
                guard let normalizePairs = value.pairs else {
                    diagnostics.error("normalize needs {mean: […], std: […]}, not \(value.kindDescription)", at: value)
                    continue
                }
                let reader = ArgumentReader(owner: "normalize", specs: kind.arguments)
                let arguments = reader.read(normalizePairs, reserved: [], missingAt: pairs[0].key, into: &diagnostics)
                if let mean = arguments.reals("mean"), let std = arguments.reals("std") {
                    if mean.count != std.count {
                        diagnostics.error(
                            "normalize has \(mean.count) means but \(std.count) standard deviations", at: arguments.node("std"))
                    }
                    result.append(.normalize(mean: mean, std: std))
                }
            }
        }
        return result
    }

    /// One split: `{source: random|idx|csv, …}`.
    private mutating func dataSource(
        _ node: YAMLNode, split: String, input: TensorShape?, output: TensorShape?, loss: ResolvedLoss?,
        transforms: [DataTransform]
    ) -> DataSource? {
        guard let pairs = node.pairs, let sourceNode = pairs.first(where: { $0.keyText == "source" })?.value else {
            diagnostics.error(
                "data \(split) needs 'source': random, idx, csv or text", at: node,
                hint: "for example {source: random, samples: 64}")
            return nil
        }
        let known = DataSourceKind.allCases.map(\.rawValue)
        guard let name = sourceNode.scalarText, let kind = DataSourceKind(rawValue: name) else {
            diagnostics.error(
                "unknown data source \(sourceNode.kindDescription)", at: sourceNode,
                hint: Suggestion.hint(for: sourceNode.scalarText ?? "", in: known) ?? "known: \(known.joined(separator: ", "))")
            return nil
        }
        let arguments = ArgumentReader(owner: "data \(split) (\(kind.rawValue))", specs: kind.arguments)
            .read(pairs, reserved: ["source"], missingAt: sourceNode, into: &diagnostics)
        let targetColumns = arguments.columns("target_columns")
        if kind.readsLabels, targetColumns == nil, let loss, loss.target == .sameShapeAsOutput {
            diagnostics.error(
                "\(loss.typeName) needs targets of the output's shape \(output?.description ?? ""), but \(kind.rawValue) data has class labels",
                at: sourceNode, hint: "use CrossEntropyLoss for class labels")
        }
        if kind.readsLabels, kind != .text, targetColumns == nil, let loss, loss.target == .classIndices, let output, output.rank > 2 {
            diagnostics.error(
                "\(loss.typeName) on the output \(output) needs a class per position, but \(kind.rawValue) data has one class label per sample",
                at: sourceNode, hint: "end the network with a Linear with out_features C for one class per sample")
        }
        let limit = arguments.integer("limit")
        switch kind {
        case .random:
            let classes = arguments.integer("classes")
            if let classes, let output, output.rank >= 2, let loss, loss.target == .classIndices, classes > output.sampleSizes[0] {
                diagnostics.error(
                    "data \(split) has \(classes) classes but the network output \(output) scores \(output.sampleSizes[0])",
                    at: arguments.node("classes"))
            }
            guard let samples = arguments.integer("samples"), let seed = arguments.integer("seed") else { return nil }
            return .random(samples: samples, seed: seed, classes: classes)
        case .idx:
            let images = path(arguments, "images", split: split)
            let labels = path(arguments, "labels", split: split)
            guard let images, let labels else { return nil }
            checkIDXFiles(images: images, labels: labels, input: input, transforms: transforms)
            return .idx(images: resolvedPath(images.path), labels: resolvedPath(labels.path), limit: limit)
        case .csv:
            guard let path = path(arguments, "path", split: split), let labelColumn = arguments.columns("label_column")?.first,
                let header = arguments.boolean("header")
            else { return nil }
            let targets = targetColumns.flatMap { columns in arguments.node("target_columns").map { (columns, $0) } }
            if let targets { checkTargetColumns(targets, split: split, output: output, loss: loss) }
            guard header || requireNoColumnNames(arguments, split: split) else { return nil }
            checkCSVFile(path, labelColumn: (labelColumn, arguments.node("label_column")), targetColumns: targets, hasHeader: header,
                         input: input, transforms: transforms)
            return .csv(path: resolvedPath(path.path), labelColumn: labelColumn, targetColumns: targetColumns, header: header, limit: limit)
        case .text:
            guard let path = path(arguments, "path", split: split), let unit = arguments.text("unit").flatMap(TextUnit.init) else { return nil }
            if !transforms.isEmpty {
                diagnostics.error("data transforms change input values, but a text source gives character indices", at: sourceNode,
                                  hint: "remove transforms: an Embedding turns the indices into vectors")
            }
            checkTextSource(path, unit: unit, split: split, sourceNode: sourceNode, input: input, output: output, loss: loss)
            return .text(path: resolvedPath(path.path), unit: unit, limit: limit)
        }
    }

    /// `target_columns` against the loss (one on values) and the output (k values per sample).
    /// Without a header row, columns can only be named by index: false after reporting a name.
    private mutating func requireNoColumnNames(_ arguments: Arguments, split: String) -> Bool {
        for key in ["label_column", "target_columns"] {
            guard case .name(let name)? = arguments.columns(key)?.first(where: { if case .name = $0 { true } else { false } }),
                let node = arguments.node(key)
            else { continue }
            diagnostics.error("data \(split) \(key) names the column '\(name)', but the file is read without a header row", at: node,
                              hint: "add `header: true` when the first row holds the column names")
            return false
        }
        return true
    }

    private mutating func checkTargetColumns(
        _ targets: (columns: [CSVColumn], node: YAMLNode), split: String, output: TensorShape?, loss: ResolvedLoss?
    ) {
        if Set(targets.columns).count != targets.columns.count {
            diagnostics.error("data \(split) target_columns \(ArgumentValue.columns(targets.columns)) names a column twice", at: targets.node)
        }
        guard let loss else { return }
        guard loss.target == .sameShapeAsOutput else {
            diagnostics.error(
                "\(loss.typeName) needs class indices, but target_columns gives float targets", at: targets.node,
                hint: "use label_column for class labels, or a loss on values such as MSELoss")
            return
        }
        if let output, output.sampleSizes != [targets.columns.count] {
            diagnostics.error(
                "target_columns gives \(targets.columns.count) values per sample, but \(loss.typeName) compares them with the output \(output)",
                at: targets.node, hint: "the network output must be [N, \(targets.columns.count)]")
        }
    }

    /// A path argument of a source that the spec may name, with its node; nil when it is missing
    /// (reported by the reader) or not to be read.
    private mutating func path(_ arguments: Arguments, _ key: String, split: String) -> (path: String, node: YAMLNode)? {
        guard let node = arguments.node(key), let path = accessiblePath(node, what: "data \(split) \(key)") else { return nil }
        return (path, node)
    }

    /// A data path as the trainer opens it: absolute, or relative to the spec's directory.
    func resolvedPath(_ path: String) -> String {
        path.hasPrefix("/") || baseDirectory.isEmpty ? path : baseDirectory + "/" + path
    }
}
