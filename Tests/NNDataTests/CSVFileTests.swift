import Testing
@testable import NNData

@Suite struct CSVFileTests {
    @Test func readsHeaderAndRowsSkippingBlankLines() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("\u{FEFF}x1, \"x,2\" ,label\r\n0.5,1e2,3\r\n\r\n-2,  .25 ,0\n", to: "data.csv")
        let file = try CSVFile.read(path: path, hasHeader: true)
        #expect(file.header == CSVHeader(columnNames: ["x1", "x,2", "label"], columnCount: 3))
        #expect(file.rowCount == 2)
        #expect(file.rowLines == [2, 4])
        #expect(file.values == [0.5, 100, 3, -2, 0.25, 0])
        #expect(file.column(2) == [3, 0])
        #expect(try file.header.index(of: .name("label"), path: path) == 2)
        #expect(try file.header.index(of: .index(1), path: path) == 1)
    }

    @Test func readsFilesWithoutHeaderRowAndCustomDelimiter() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("1;2\n3;4", to: "data.txt")
        let file = try CSVFile.read(path: path, hasHeader: false, delimiter: UInt8(ascii: ";"))
        #expect(file.header == CSVHeader(columnNames: nil, columnCount: 2))
        #expect(file.rowCount == 2)
        #expect(file.values == [1, 2, 3, 4])
    }

    @Test func readsGzipCompressedCSV() throws {
        let directory = try TemporaryDirectory()
        let text = "a,b\n" + (0..<5000).map { "\($0),\($0 % 7)" }.joined(separator: "\n")
        let path = directory.path("data.csv.gz")
        try DataFileWriter.write(Array(text.utf8), to: path, compressed: true)
        let file = try CSVFile.read(path: path, hasHeader: true)
        #expect(file.rowCount == 5000)
        #expect(file.column(0) == (0..<5000).map { Float($0) })
        #expect(file.column(1) == (0..<5000).map { Float($0 % 7) })
    }

    @Test func headerOnlyReadStopsAtTheFirstLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("\n\npixel0,pixel1,pixel2,digit\n1,2,3\nnot,read,at,all\n", to: "data.csv")
        #expect(try CSVFile.readHeader(path: path, hasHeader: true) ==
            CSVHeader(columnNames: ["pixel0", "pixel1", "pixel2", "digit"], columnCount: 4))
        #expect(try CSVFile.readHeader(path: path, hasHeader: false).columnCount == 4)
    }

    // MARK: Malformed files

    @Test func raggedRowsNameLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let long = try directory.write("a,b\n1,2\n3,4,5\n", to: "long.csv")
        #expect(dataFileError { try CSVFile.read(path: long, hasHeader: true) }?.description ==
            "\(long):3:5: ragged row: 3 fields, but the first line has 2")
        let short = try directory.write("1,2,3\n4,5\n", to: "short.csv")
        #expect(dataFileError { try CSVFile.read(path: short, hasHeader: false) }?.description ==
            "\(short):2:4: ragged row: 2 fields, but the first line has 3")
    }

    @Test func nonNumbersNameLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let word = try directory.write("a,b\n1,2\n3,four\n", to: "word.csv")
        #expect(dataFileError { try CSVFile.read(path: word, hasHeader: true) }?.description ==
            "\(word):3:3: field 2 \"four\" is not a finite number")
        let trailing = try directory.write("1.5x,2\n", to: "trailing.csv")
        #expect(dataFileError { try CSVFile.read(path: trailing, hasHeader: false) }?.description ==
            "\(trailing):1:1: field 1 \"1.5x\" is not a finite number")
        let empty = try directory.write("1,,2\n", to: "empty.csv")
        #expect(dataFileError { try CSVFile.read(path: empty, hasHeader: false) }?.description ==
            "\(empty):1:3: field 2 is empty")
        let notFinite = try directory.write("1,nan\n", to: "nan.csv")
        #expect(dataFileError { try CSVFile.read(path: notFinite, hasHeader: false) }?.description ==
            "\(notFinite):1:3: field 2 \"nan\" is not a finite number")
        let header = try directory.write("a,b\n", to: "header.csv")
        #expect(dataFileError { try CSVFile.read(path: header, hasHeader: false) }?.description ==
            "\(header):1:1: field 1 \"a\" is not a finite number")
    }

    @Test func quotingErrorsNameLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let open = try directory.write("\"a,b\n", to: "open.csv")
        #expect(dataFileError { try CSVFile.readHeader(path: open, hasHeader: true) }?.description ==
            "\(open):1:1: unterminated quoted field")
        let after = try directory.write("\"a\"x,b\n", to: "after.csv")
        #expect(dataFileError { try CSVFile.readHeader(path: after, hasHeader: true) }?.description ==
            "\(after):1:4: unexpected text after a quoted field")
    }

    @Test func filesWithoutDataAreRefused() throws {
        let directory = try TemporaryDirectory()
        let headerOnly = try directory.write("a,b\n\n", to: "header.csv")
        #expect(dataFileError { try CSVFile.read(path: headerOnly, hasHeader: true) }?.description ==
            "\(headerOnly):3:1: no data rows")
        let empty = try directory.write("", to: "empty.csv")
        #expect(dataFileError { try CSVFile.readHeader(path: empty, hasHeader: true) }?.description ==
            "\(empty):1:1: the file has no lines")
        let missing = directory.path("missing.csv")
        #expect(dataFileError { try CSVFile.read(path: missing, hasHeader: true) }?.description ==
            "\(missing): cannot open: No such file or directory")
    }

    @Test func unknownColumnsListTheKnownOnes() throws {
        let header = CSVHeader(columnNames: ["x", "y", "x"], columnCount: 3)
        #expect(dataFileError { try header.index(of: .name("label"), path: "d.csv") }?.description ==
            "d.csv:1:1: no column named \"label\" (columns: x, y, x)")
        #expect(dataFileError { try header.index(of: .name("x"), path: "d.csv") }?.description ==
            "d.csv:1:1: the column name \"x\" appears 2 times")
        #expect(dataFileError { try header.index(of: .index(3), path: "d.csv") }?.description ==
            "d.csv:1:1: column index 3 is outside the file's 3 columns (0...2)")
        let anonymous = CSVHeader(columnNames: nil, columnCount: 2)
        #expect(dataFileError { try anonymous.index(of: .name("y"), path: "d.csv") }?.description ==
            "d.csv:1:1: column \"y\" is asked for by name, but the file is read without a header row")
    }
}
