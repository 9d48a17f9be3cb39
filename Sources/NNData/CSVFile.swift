#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column of a CSV file, by header name or by 0-based index.
public enum CSVColumn: Hashable, Sendable, CustomStringConvertible {
    case name(String)
    case index(Int)

    public var description: String {
        switch self {
        case .name(let name): "column \"\(name)\""
        case .index(let index): "column \(index)"
        }
    }
}

/// What the first line of a CSV file tells: the column names (when it is a header row) and the
/// number of columns every row must have.
public struct CSVHeader: Equatable, Sendable {
    /// The header row's names, or nil when the file has no header row.
    public let columnNames: [String]?
    public let columnCount: Int

    /// The 0-based index of `column`; throws naming the known columns when there is none such.
    public func index(of column: CSVColumn, path: String) throws(DataFileError) -> Int {
        switch column {
        case .index(let index):
            guard (0..<columnCount).contains(index) else {
                throw DataFileError(path: path, location: .text(line: 1, column: 1),
                                    message: "column index \(index) is outside the file's \(columnCount) columns (0...\(columnCount - 1))")
            }
            return index
        case .name(let name):
            guard let names = columnNames else {
                throw DataFileError(path: path, location: .text(line: 1, column: 1),
                                    message: "column \"\(name)\" is asked for by name, but the file is read without a header row")
            }
            let matches = names.indices.filter { names[$0] == name }
            guard matches.count == 1 else {
                throw DataFileError(path: path, location: .text(line: 1, column: 1), message: matches.isEmpty
                    ? "no column named \"\(VisibleText.escaped(name))\" (columns: \(names.map(VisibleText.escaped).joined(separator: ", ")))"
                    : "the column name \"\(VisibleText.escaped(name))\" appears \(matches.count) times")
            }
            return matches[0]
        }
    }
}

/// A CSV file of numbers read whole: `rowCount × header.columnCount` values, row-major.
///
/// Blank lines are skipped; every other row must have the first line's number of fields, each a
/// finite number. Plain and gzip-compressed files are read alike.
public struct CSVFile: Sendable {
    public let header: CSVHeader
    /// Row-major values, `rowCount × header.columnCount`.
    public let values: [Float]
    /// The 1-based line of each row in the file, for messages about a value.
    public let rowLines: [Int]
    public var rowCount: Int { rowLines.count }

    /// Reads and checks the whole file; `hasHeader` says whether the first line names the columns.
    public static func read(path: String, hasHeader: Bool, delimiter: UInt8 = UInt8(ascii: ",")) throws(DataFileError) -> CSVFile {
        var lines = CSVLineReader(reader: try DataFileReader(path: path))
        var header: CSVHeader?
        var values: [Float] = []
        var rowLines: [Int] = []
        var scratch: [CChar] = []
        while let line = try lines.nextLine() {
            if isBlankLine(line) { continue }
            let fields = try csvFields(of: line, delimiter: delimiter, path: path, lineNumber: lines.lineNumber)
            guard let known = header else {
                header = Self.header(from: fields, hasHeader: hasHeader)
                if !hasHeader {
                    try appendNumbers(fields, to: &values, scratch: &scratch, path: path, line: lines.lineNumber)
                    rowLines.append(lines.lineNumber)
                }
                continue
            }
            try appendRow(fields, of: line, number: lines.lineNumber, width: known.columnCount, path: path,
                          to: &values, scratch: &scratch)
            rowLines.append(lines.lineNumber)
        }
        guard let header, !rowLines.isEmpty else {
            throw DataFileError(path: path, location: .text(line: lines.lineNumber + 1, column: 1), message: "no data rows")
        }
        return CSVFile(header: header, values: values, rowLines: rowLines)
    }

    /// The longest first line `readHeader` reads (1 MiB): a row of 100,000 numbers fits.
    public static let maximumHeaderLineLength = 1 << 20

    /// Reads only up to the first non-blank line: the column names and count. The line is read up to
    /// `maximumHeaderLineLength` bytes, so a file that is not CSV fails fast without filling memory.
    public static func readHeader(path: String, hasHeader: Bool, delimiter: UInt8 = UInt8(ascii: ",")) throws(DataFileError) -> CSVHeader {
        var lines = CSVLineReader(reader: try DataFileReader(path: path), maximumLineLength: maximumHeaderLineLength)
        while let line = try lines.nextLine() {
            if isBlankLine(line) { continue }
            let fields = try csvFields(of: line, delimiter: delimiter, path: path, lineNumber: lines.lineNumber)
            return header(from: fields, hasHeader: hasHeader)
        }
        throw DataFileError(path: path, location: .text(line: lines.lineNumber + 1, column: 1), message: "the file has no lines")
    }

    /// The values of `column` (0-based), one per row.
    public func column(_ column: Int) -> [Float] {
        stride(from: column, to: values.count, by: header.columnCount).map { values[$0] }
    }

    static func header(from fields: [CSVField], hasHeader: Bool) -> CSVHeader {
        CSVHeader(columnNames: hasHeader ? fields.map { String(decoding: $0.text, as: UTF8.self) } : nil,
                  columnCount: fields.count)
    }

    /// The longest field a message quotes: a word such as "nan" or "four" helps, while a long line of
    /// a file that is not data at all (a key, a password) must not be echoed.
    static let maximumQuotedFieldLength = 16

    /// A bad field as a message shows it: quoted with its control characters escaped when short,
    /// otherwise only its length.
    static func quotedOrMeasured(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let length = text.unicodeScalars.count
        guard length <= maximumQuotedFieldLength else { return "(\(length) characters, not quoted)" }
        return "\"" + VisibleText.escaped(text) + "\""
    }

    /// Appends the fields of the row on line `number` (`line`'s text), which must be `width` fields
    /// of finite numbers.
    static func appendRow(_ fields: [CSVField], of line: ArraySlice<UInt8>, number: Int, width: Int, path: String,
                          to values: inout [Float], scratch: inout [CChar]) throws(DataFileError) {
        guard fields.count == width else {
            let column = fields.count > width ? fields[width].column : line.count + 1
            throw DataFileError(path: path, location: .text(line: number, column: column),
                                message: "ragged row: \(fields.count) fields, but the first line has \(width)")
        }
        try appendNumbers(fields, to: &values, scratch: &scratch, path: path, line: number)
    }

    /// Parses every field as a finite number and appends it; `scratch` holds a field's
    /// NUL-terminated copy for `strtof`.
    private static func appendNumbers(_ fields: [CSVField], to values: inout [Float], scratch: inout [CChar],
                                      path: String, line: Int) throws(DataFileError) {
        for (position, field) in fields.enumerated() {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: field.text.map { CChar(bitPattern: $0) })
            scratch.append(0)
            var end: UnsafeMutablePointer<CChar>?
            let value = scratch.withUnsafeMutableBufferPointer { buffer in
                let value = strtof(buffer.baseAddress!, &end)
                return end == buffer.baseAddress! + field.text.count ? value : nil
            }
            guard let value, !field.text.isEmpty, value.isFinite else {
                throw DataFileError(path: path, location: .text(line: line, column: field.column),
                                    message: "field \(position + 1) \(field.text.isEmpty ? "is empty" : "\(quotedOrMeasured(field.text)) is not a finite number")")
            }
            values.append(value)
        }
    }
}
