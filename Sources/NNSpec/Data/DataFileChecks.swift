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

    mutating func checkCSVFile(
        _ file: (path: String, node: YAMLNode), labelColumn: Int, targetColumns: (columns: [Int], node: YAMLNode)?,
        hasHeader: Bool, input: TensorShape?, transforms: [DataTransform]
    ) {
        guard let columns = readHeader(file, what: "CSV", { path throws(DataFileError) in
            try CSVFile.readHeader(path: path, hasHeader: hasHeader).columnCount
        }) else { return }
        if let targetColumns {
            if let past = targetColumns.columns.first(where: { $0 >= columns }) {
                diagnostics.error("target_columns names column \(past), past the \(columns) columns of \(file.path)", at: targetColumns.node)
                return
            }
        } else if labelColumn >= columns {
            diagnostics.error("label_column \(labelColumn) is past the \(columns) columns of \(file.path)", at: file.node)
            return
        }
        guard let input else { return }
        var sample = input.sampleSizes
        let padding = totalPadding(transforms)
        if sample.count >= 2 {
            sample[sample.count - 2] -= 2 * padding
            sample[sample.count - 1] -= 2 * padding
        }
        let targetCount = targetColumns.map { Set($0.columns).count } ?? 1
        let features = columns - targetCount
        guard let elements = checkedProduct(sample), features != elements else { return }
        let less = targetColumns == nil ? "the label" : targetCount == 1 ? "the target column" : "\(targetCount) target columns"
        diagnostics.error(
            "a row of \(file.path) has \(features) features (\(columns) columns less \(less)) but the input \(input) takes \(elements)\(padding > 0 ? " before pad \(padding)" : "")",
            at: file.node)
    }

    /// Reads a file's header (NNData's header-only readers: the body is never loaded); a missing
    /// file is a warning (the data may be fetched later), an unreadable or malformed one an error
    /// naming the file as the spec wrote it and where in it the problem is.
    private mutating func readHeader<Header>(
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
