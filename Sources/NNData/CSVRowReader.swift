/// A CSV file of numbers read a run of rows at a time, one sample a row: the values of
/// `selectedColumns`, so a file of any size is fed with memory bounded by the run.
///
/// Opening reads the whole file once without keeping it, checking every row as `CSVFile.read`
/// does (the first line's field count, finite numbers) and counting the rows, so a bad row is
/// reported before any sample is used. Plain and gzip-compressed files are read alike.
public final class CSVRowReader: SampleFileReader {
    public let path: String
    public let header: CSVHeader
    /// The columns a sample holds, in this order (all of them unless changed).
    public var selectedColumns: [Int]
    public private(set) var remainingSamples: Int
    public var sampleShape: [Int] { [selectedColumns.count] }
    public var sampleElementCount: Int { selectedColumns.count }
    private var lines: CSVLineReader
    private var row: [Float] = []
    private var scratch: [CChar] = []

    /// Opens `path`, checks and counts its rows; `hasHeader`: the first line names the columns.
    public init(path: String, hasHeader: Bool) throws(DataFileError) {
        self.path = path
        var checking = CSVLineReader(reader: try DataFileReader(path: path))
        var header: CSVHeader?
        var rows = 0
        while let line = try checking.nextLine() {
            if isBlankLine(line) { continue }
            let fields = try csvFields(of: line, delimiter: UInt8(ascii: ","), path: path, lineNumber: checking.lineNumber)
            if header == nil {
                header = CSVFile.header(from: fields, hasHeader: hasHeader)
                if hasHeader { continue }
            }
            row.removeAll(keepingCapacity: true)
            try CSVFile.appendRow(fields, of: line, number: checking.lineNumber, width: header!.columnCount, path: path,
                                  to: &row, scratch: &scratch)
            rows += 1
        }
        guard let header, rows > 0 else {
            throw DataFileError(path: path, location: .text(line: checking.lineNumber + 1, column: 1), message: "no data rows")
        }
        self.header = header
        selectedColumns = Array(0..<header.columnCount)
        remainingSamples = rows
        lines = CSVLineReader(reader: try DataFileReader(path: path))
        if hasHeader {
            while let line = try lines.nextLine(), isBlankLine(line) {}
        }
    }

    public func readSamples(_ count: Int, into buffer: inout [Float]) throws(DataFileError) {
        buffer.removeAll(keepingCapacity: true)
        var read = 0
        while read < min(count, remainingSamples), let line = try lines.nextLine() {
            if isBlankLine(line) { continue }
            let fields = try csvFields(of: line, delimiter: UInt8(ascii: ","), path: path, lineNumber: lines.lineNumber)
            row.removeAll(keepingCapacity: true)
            try CSVFile.appendRow(fields, of: line, number: lines.lineNumber, width: header.columnCount, path: path,
                                  to: &row, scratch: &scratch)
            for column in selectedColumns { buffer.append(row[column]) }
            read += 1
        }
        guard read == min(count, remainingSamples) else {
            throw DataFileError(path: path, location: .line(lines.lineNumber), message: "the file changed while it was read: it ends early")
        }
        remainingSamples -= read
    }
}
