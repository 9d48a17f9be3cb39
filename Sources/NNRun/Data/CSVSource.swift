import NNData
import NNTensor

extension Dataset {
    /// Samples from a CSV file of numbers, one row each: the `label` column is the target and the
    /// `features` columns (all the others when nil), in the order given, form inputs [count, F].
    ///
    /// For `.classes(count:)` the label is a class index; for `.values(shape:)` the shape must hold
    /// one value ([] or [1]).
    public static func csv(path: String, hasHeader: Bool, label: CSVColumn, features: [CSVColumn]? = nil,
                           targets kind: TargetKind, delimiter: UInt8 = UInt8(ascii: ",")) throws(DataError) -> Dataset {
        let file: CSVFile, labelColumn: Int, featureColumns: [Int]
        do {
            file = try CSVFile.read(path: path, hasHeader: hasHeader, delimiter: delimiter)
            labelColumn = try file.header.index(of: label, path: path)
            featureColumns = try features.map { columns throws(DataFileError) in
                var indices: [Int] = []
                for column in columns { indices.append(try file.header.index(of: column, path: path)) }
                return indices
            } ?? (0..<file.header.columnCount).filter { $0 != labelColumn }
        } catch {
            throw .file(error)
        }
        guard !featureColumns.isEmpty, !featureColumns.contains(labelColumn) else {
            throw .invalidArgument("\(path): the feature columns \(featureColumns) must be non-empty and exclude the label column \(labelColumn)")
        }
        let rows = file.rowCount
        let inputs = columns(featureColumns, of: file)
        let labels = file.column(labelColumn)
        switch kind {
        case .classes(let classCount):
            var indices = [Int](repeating: 0, count: rows)
            for row in 0..<rows {
                guard let index = Targets.classIndex(Double(labels[row]), classCount: classCount) else {
                    throw .file(DataFileError(path: path, location: .line(file.rowLines[row]),
                                              message: "label \(labels[row]) in \(label) is not a class index in 0..<\(classCount)"))
                }
                indices[row] = index
            }
            return try Dataset(inputs: inputs, targets: .classes(indices: indices, classCount: classCount))
        case .values(let shape):
            guard shape.elementCount == 1 else {
                throw .invalidArgument("\(path): a CSV label column gives one target value per sample, but targets of shape \(shape) are needed")
            }
            return try Dataset(inputs: inputs, targets: .values(Tensor(shape: [rows] + shape, scalars: labels)))
        }
    }

    /// Samples from a CSV file of numbers whose `targetColumns` (in the order given) are float
    /// targets [count, k], for a loss on values (regression); the other columns, in file order,
    /// are the inputs [count, F].
    public static func csv(path: String, hasHeader: Bool, targetColumns: [CSVColumn],
                           delimiter: UInt8 = UInt8(ascii: ",")) throws(DataError) -> Dataset {
        let file: CSVFile
        var targetIndices: [Int] = []
        do {
            file = try CSVFile.read(path: path, hasHeader: hasHeader, delimiter: delimiter)
            for column in targetColumns { targetIndices.append(try file.header.index(of: column, path: path)) }
        } catch {
            throw .file(error)
        }
        let featureColumns = (0..<file.header.columnCount).filter { !targetIndices.contains($0) }
        guard !targetIndices.isEmpty, Set(targetIndices).count == targetIndices.count, !featureColumns.isEmpty else {
            throw .invalidArgument("\(path): the target columns \(targetIndices) must be distinct and leave at least one of the \(file.header.columnCount) columns as input")
        }
        return try Dataset(inputs: columns(featureColumns, of: file), targets: .values(columns(targetIndices, of: file)))
    }

    /// The values of `columns` (in that order) of every row: [rows, columns.count].
    private static func columns(_ columns: [Int], of file: CSVFile) -> Tensor {
        let rows = file.rowCount, width = file.header.columnCount
        var result = Tensor(zeros: [rows, columns.count])
        file.values.withUnsafeBufferPointer { values in
            result.scalars.withUnsafeMutableBufferPointer { destination in
                for row in 0..<rows {
                    for (position, column) in columns.enumerated() {
                        destination[row * columns.count + position] = values[row * width + column]
                    }
                }
            }
        }
        return result
    }
}
