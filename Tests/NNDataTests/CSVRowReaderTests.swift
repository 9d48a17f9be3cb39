import Testing
@testable import NNData

/// `CSVRowReader` gives, run by run, the rows `CSVFile.read` gives at once, and refuses a bad row
/// when it opens the file.
@Suite struct CSVRowReaderTests {
    @Test(arguments: [false, true])
    func runsOfRowsEqualTheWholeFile(hasHeader: Bool) throws {
        let directory = try TemporaryDirectory()
        let text = (hasHeader ? "a,b,label\n" : "") + "1,2,0\n\n3.5, 4 ,1\n5,6,2\r\n7,8,0\n"
        let path = try directory.write(text, to: "rows.csv")
        let whole = try CSVFile.read(path: path, hasHeader: hasHeader)
        let reader = try CSVRowReader(path: path, hasHeader: hasHeader)
        #expect(reader.header == whole.header && reader.remainingSamples == 4)
        var run: [Float] = [], all: [Float] = []
        while reader.remainingSamples > 0 {
            try reader.readSamples(3, into: &run)
            all += run
        }
        #expect(all == whole.values)
    }

    @Test func selectedColumnsInTheirOrder() throws {
        let directory = try TemporaryDirectory()
        let reader = try CSVRowReader(path: try directory.write("1,2,3\n4,5,6\n", to: "rows.csv"), hasHeader: false)
        reader.selectedColumns = [2, 0]
        var values: [Float] = []
        try reader.readSamples(5, into: &values)
        #expect(reader.sampleShape == [2] && values == [3, 1, 6, 4])
    }

    @Test func aBadRowIsReportedOnOpening() throws {
        let directory = try TemporaryDirectory()
        let ragged = try directory.write("1,2\n3,4\n5\n", to: "ragged.csv")
        #expect(dataFileError { try CSVRowReader(path: ragged, hasHeader: false) }?.description
            == "\(ragged):3:2: ragged row: 1 fields, but the first line has 2")
        let word = try directory.write("1,2\n3,four\n", to: "word.csv")
        #expect(dataFileError { try CSVRowReader(path: word, hasHeader: false) }?.message == "field 2 \"four\" is not a finite number")
        let empty = try directory.write("a,b\n", to: "empty.csv")
        #expect(dataFileError { try CSVRowReader(path: empty, hasHeader: true) }?.message == "no data rows")
    }
}
