import NNData

/// Data files against the network input: an IDX image file's sample shape (after the `pad`
/// transforms) must be the input's sample shape, or hold as many elements; the label file must
/// have one label per image; a CSV row must hold a label and as many features as a sample.
extension SpecValidation {
    /// The total `pad` of the transforms (each side of height and width).
    private func totalPadding(_ transforms: [DataTransform]) -> Int {
        transforms.reduce(0) { total, transform in
            if case .pad(let padding) = transform { return total + padding }
            return total
        }
    }

    mutating func checkIDXFiles(
        images: (path: String, node: YAMLNode), labels: (path: String, node: YAMLNode), input: TensorShape?,
        transforms: [DataTransform]
    ) {
        let imageHeader = readHeader(images, what: "IDX", IDXFile.readHeader(path:))
        let labelHeader = readHeader(labels, what: "IDX", IDXFile.readHeader(path:))
        guard let imageDimensions = imageHeader?.dimensions else { return }
        if let labelDimensions = labelHeader?.dimensions, labelDimensions != [imageDimensions[0]] {
            diagnostics.error(
                "the labels \(labelDimensions) do not match the \(imageDimensions[0]) images of \(images.path): one label per image is needed",
                at: labels.node)
        }
        guard let input, imageDimensions.count >= 2 else { return }
        let padding = totalPadding(transforms)
        var sample = Array(imageDimensions.dropFirst())
        if sample.count >= 2 {
            sample[sample.count - 2] += 2 * padding
            sample[sample.count - 1] += 2 * padding
        }
        let expected = input.sampleSizes
        if sample.count == expected.count - 1 { sample.insert(1, at: 0) }
        guard sample != expected, checkedProduct(sample) != input.sampleElementCount else { return }
        let pictured = imageDimensions.dropFirst().map(String.init).joined(separator: "×")
        var hint: String?
        if sample.count == expected.count, sample.count >= 2 {
            let heightGap = expected[expected.count - 2] - sample[sample.count - 2]
            let widthGap = expected[expected.count - 1] - sample[sample.count - 1]
            if heightGap == widthGap, heightGap > 0, heightGap % 2 == 0,
                Array(sample.dropLast(2)) == Array(expected.dropLast(2))
            {
                hint = "add `pad: \(heightGap / 2)` to data transforms: transforms: [{pad: \(padding + heightGap / 2)}]"
            }
        }
        diagnostics.error(
            "the images in \(images.path) are \(pictured)\(padding > 0 ? " (\(sample.suffix(2).map(String.init).joined(separator: "×")) after pad \(padding))" : "") but the input \(input) takes \(expected.map(String.init).joined(separator: "×"))",
            at: images.node, notes: ["IDX header: \(imageDimensions.map(String.init).joined(separator: " × "))"], hint: hint)
    }

    /// `labelColumn.node` and `targetColumns.node` are the values the spec wrote (nil: the default
    /// label column); names are looked up in the header row.
    mutating func checkCSVFile(
        _ file: (path: String, node: YAMLNode), labelColumn: (column: CSVColumn, node: YAMLNode?),
        targetColumns: (columns: [CSVColumn], node: YAMLNode)?, hasHeader: Bool, input: TensorShape?, transforms: [DataTransform]
    ) {
        guard let header = readHeader(file, what: "CSV", { path throws(DataFileError) in
            try CSVFile.readHeader(path: path, hasHeader: hasHeader)
        }) else { return }
        let columns = header.columnCount
        let targetCount: Int
        if let targetColumns {
            guard let indices = columnIndices(targetColumns.columns, key: "target_columns", at: targetColumns.node, in: header, of: file.path)
            else { return }
            if Set(indices).count != indices.count, Set(targetColumns.columns).count == targetColumns.columns.count {
                diagnostics.error("target_columns \(ArgumentValue.columns(targetColumns.columns)) names a column twice: by its index and by its name (columns \(indices))",
                                  at: targetColumns.node)
                return
            }
            targetCount = Set(indices).count
        } else {
            guard columnIndices([labelColumn.column], key: "label_column", at: labelColumn.node ?? file.node, in: header, of: file.path) != nil
            else { return }
            targetCount = 1
        }
        guard let input else { return }
        var sample = input.sampleSizes
        let padding = totalPadding(transforms)
        if sample.count >= 2 {
            sample[sample.count - 2] -= 2 * padding
            sample[sample.count - 1] -= 2 * padding
        }
        let features = columns - targetCount
        guard let elements = checkedProduct(sample), features != elements else { return }
        let less = targetColumns == nil ? "the label" : targetCount == 1 ? "the target column" : "\(targetCount) target columns"
        diagnostics.error(
            "a row of \(file.path) has \(features) features (\(columns) columns less \(less)) but the input \(input) takes \(elements)\(padding > 0 ? " before pad \(padding)" : "")",
            at: file.node)
    }

    /// The indices of `columns` in a CSV file with `header`, or nil after reporting an index past its
    /// columns or a name its header row lacks (with the closest name), at the item of the list `node`.
    private mutating func columnIndices(
        _ columns: [CSVColumn], key: String, at node: YAMLNode, in header: CSVHeader, of path: String
    ) -> [Int]? {
        var indices: [Int] = []
        for (position, column) in columns.enumerated() {
            let at = node.items.map { $0[position] } ?? node
            switch column {
            case .index(let index):
                guard index < header.columnCount else {
                    diagnostics.error("\(key) names column \(index), past the \(header.columnCount) columns of \(path)", at: at)
                    return nil
                }
                indices.append(index)
            case .name(let name):
                let names = header.columnNames ?? []
                let matches = names.indices.filter { names[$0] == name }
                guard matches.count == 1 else {
                    if matches.isEmpty {
                        diagnostics.error("\(key) names the column '\(name)', but the header of \(path) has no such column", at: at,
                                          hint: Suggestion.hint(for: name, in: names) ?? "its columns: \(names.joined(separator: ", "))")
                    } else {
                        diagnostics.error("\(key) names the column '\(name)', which the header of \(path) has \(matches.count) times (columns \(matches))",
                                          at: at, hint: "name it by its index")
                    }
                    return nil
                }
                indices.append(matches[0])
            }
        }
        return indices
    }

    /// Reads a file's header (NNData's header-only readers: the body is never loaded); a missing
    /// file is a warning (the data may be fetched later), an unreadable or malformed one an error
    /// naming the file as the spec wrote it and where in it the problem is.
    mutating func readHeader<Header>(
        _ file: (path: String, node: YAMLNode), what: String, _ read: (String) throws(DataFileError) -> Header
    ) -> Header? {
        let path = resolvedPath(file.path)
        guard FileSystem.exists(atPath: path) else {
            diagnostics.warning("\(file.path) does not exist (yet), so its \(what) header is not checked", at: file.node)
            return nil
        }
        do {
            return try read(path)
        } catch {
            diagnostics.error(DataFileError(path: file.path, location: error.location, message: error.message).description, at: file.node)
            return nil
        }
    }
}
