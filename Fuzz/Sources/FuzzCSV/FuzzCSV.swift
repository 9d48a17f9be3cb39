import FuzzSupport
import NNData

/// Reads the payload as a CSV file (see `dataFile(from:named:)` for bits 0 and 1 of the mode byte;
/// bit 2: a header row; bits 3–4: the delimiter), whole and header-only. When the whole file reads,
/// the header-only read must agree and the values must form the promised finite table.
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(data, count)
    let path = dataFile(from: input, named: "fuzz.csv")
    let hasHeader = input.flag(2)
    let delimiter = Array(",;\t ".utf8)[Int(input.mode >> 3) & 3]
    let header = try? CSVFile.readHeader(path: path, hasHeader: hasHeader, delimiter: delimiter)
    guard let file = try? CSVFile.read(path: path, hasHeader: hasHeader, delimiter: delimiter) else { return 0 }
    invariant(header == file.header, "the header-only read gave \(String(describing: header)), the whole read \(file.header)")
    invariant(file.values.count == file.rowCount * file.header.columnCount,
              "\(file.values.count) values for \(file.rowCount) rows of \(file.header.columnCount) columns")
    invariant(file.values.allSatisfy(\.isFinite), "a value is not finite")
    invariant(zip(file.rowLines, file.rowLines.dropFirst()).allSatisfy { $0 < $1 }, "row lines out of order: \(file.rowLines)")
    for column in 0..<file.header.columnCount {
        invariant(file.column(column).count == file.rowCount, "column \(column) does not have one value per row")
        invariant((try? file.header.index(of: .index(column), path: path)) == column, "column index \(column) is refused")
    }
    return 0
}
