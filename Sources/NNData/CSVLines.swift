/// Splits a data file's text into lines (`\n` or `\r\n`), numbered from 1, reading it in chunks.
struct CSVLineReader {
    private let reader: DataFileReader
    private var buffer: [UInt8] = []
    /// Start of the first unreturned line in `buffer`.
    private var start = 0
    private var atEnd = false
    /// The number of the line last returned.
    private(set) var lineNumber = 0
    /// The longest line returned, in bytes; a longer one is an error rather than unbounded memory.
    private let maximumLineLength: Int

    init(reader: DataFileReader, maximumLineLength: Int = .max) {
        self.reader = reader
        self.maximumLineLength = maximumLineLength
    }

    /// The next line without its terminator, or nil at the end. A UTF-8 byte-order mark before
    /// the first line is dropped.
    mutating func nextLine() throws(DataFileError) -> ArraySlice<UInt8>? {
        var searchFrom = start
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                return takeLine(upTo: newline, next: newline + 1)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                return takeLine(upTo: buffer.count, next: buffer.count)
            }
            buffer.removeFirst(start)
            searchFrom = buffer.count
            start = 0
            guard buffer.count <= maximumLineLength else {
                throw DataFileError(path: reader.path, location: .line(lineNumber + 1),
                                    message: "the line is longer than \(maximumLineLength) bytes; is this a CSV file?")
            }
            let chunk = try reader.read(count: 1 << 16)
            atEnd = chunk.isEmpty
            buffer.append(contentsOf: chunk)
        }
    }

    private mutating func takeLine(upTo end: Int, next: Int) -> ArraySlice<UInt8> {
        var line = buffer[start..<end]
        start = next
        lineNumber += 1
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        return line
    }
}

/// One field of a CSV line: its text (quotes removed, surrounding blanks trimmed) and the 1-based
/// column where it starts.
struct CSVField {
    var text: ArraySlice<UInt8>
    var column: Int
}

/// Splits one CSV line into fields. A field may be quoted (`"a,b"`, with `""` for a quote inside);
/// a quoted field does not span lines.
func csvFields(of line: ArraySlice<UInt8>, delimiter: UInt8, path: String, lineNumber: Int) throws(DataFileError) -> [CSVField] {
    let quote = UInt8(ascii: "\"")
    var fields: [CSVField] = []
    var index = line.startIndex
    while true {
        let fieldStart = index
        let column = fieldStart - line.startIndex + 1
        var text: ArraySlice<UInt8>
        if let first = line[index...].first(where: { !isBlank($0) }), first == quote {
            let open = line[index...].firstIndex(of: quote)!
            var unquoted: [UInt8] = []
            var cursor = open + 1
            while true {
                guard let close = line[cursor...].firstIndex(of: quote) else {
                    throw DataFileError(path: path, location: .text(line: lineNumber, column: open - line.startIndex + 1),
                                        message: "unterminated quoted field")
                }
                unquoted.append(contentsOf: line[cursor..<close])
                if close + 1 < line.endIndex && line[close + 1] == quote {
                    unquoted.append(quote)
                    cursor = close + 2
                } else {
                    cursor = close + 1
                    break
                }
            }
            index = line[cursor...].firstIndex(where: { !isBlank($0) }) ?? line.endIndex
            guard index == line.endIndex || line[index] == delimiter else {
                throw DataFileError(path: path, location: .text(line: lineNumber, column: index - line.startIndex + 1),
                                    message: "unexpected text after a quoted field")
            }
            text = ArraySlice(unquoted)
        } else {
            index = line[index...].firstIndex(of: delimiter) ?? line.endIndex
            text = line[fieldStart..<index]
            while let first = text.first, isBlank(first) { text.removeFirst() }
            while let last = text.last, isBlank(last) { text.removeLast() }
        }
        fields.append(CSVField(text: text, column: column))
        guard index < line.endIndex else { return fields }
        index += 1
    }
}

private func isBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
}

/// True for a line holding nothing but blanks.
func isBlankLine(_ line: ArraySlice<UInt8>) -> Bool {
    line.allSatisfy(isBlank)
}
