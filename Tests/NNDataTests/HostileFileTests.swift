import Foundation
import Testing
@testable import NNData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Data files that are not what they claim: FIFOs and devices, endless first lines, secrets and
/// escape sequences in a field, gzip files of several members (a file cut short: IDXFileTests).
@Suite struct HostileFileTests {
    @Test(.timeLimit(.minutes(1)))
    func aFIFOIsRefusedWithoutBlocking() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("fifo.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(dataFileError { try CSVFile.readHeader(path: fifo, hasHeader: false) }?.description ==
            "\(fifo): cannot read it: it is a FIFO, not a regular file")
        #expect(dataFileError { try IDXFile.readHeader(path: fifo) }?.description ==
            "\(fifo): cannot read it: it is a FIFO, not a regular file")
    }

    @Test(.timeLimit(.minutes(1)))
    func aDeviceIsRefusedWithoutReading() {
        #expect(dataFileError { try CSVFile.read(path: "/dev/zero", hasHeader: false) }?.description ==
            "/dev/zero: cannot read it: it is a character device, not a regular file")
    }

    @Test func anEndlessFirstLineStopsAtTheBound() throws {
        let directory = try TemporaryDirectory()
        let long = try directory.write([UInt8](repeating: UInt8(ascii: "7"), count: CSVFile.maximumHeaderLineLength + 70_000), to: "long.csv")
        #expect(dataFileError { try CSVFile.readHeader(path: long, hasHeader: false) }?.description ==
            "\(long):1: the line is longer than 1048576 bytes; is this a CSV file?")
        let fits = try directory.write(Array(repeating: "1", count: 200_000).joined(separator: ",") + "\n", to: "wide.csv")
        #expect(try CSVFile.readHeader(path: fits, hasHeader: false).columnCount == 200_000)
    }

    @Test func aLongFieldIsNotQuotedAndControlCharactersAreEscaped() throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("API_KEY=sk-live-123456\n", to: "secret.txt")
        let error = try #require(dataFileError { try CSVFile.read(path: secret, hasHeader: false) })
        #expect(error.description == "\(secret):1:1: field 1 (22 characters, not quoted) is not a finite number")
        let escape = try directory.write("1,\u{1B}[2J\n", to: "escape.csv")
        #expect(dataFileError { try CSVFile.read(path: escape, hasHeader: false) }?.description ==
            "\(escape):1:3: field 2 \"\\u{1b}[2J\" is not a finite number")
        let names = try directory.write("a\u{7},b\n1,2\n", to: "names.csv")
        let header = try CSVFile.readHeader(path: names, hasHeader: true)
        #expect(dataFileError { try header.index(of: .name("c"), path: names) }?.message == "no column named \"c\" (columns: a\\u{7}, b)")
    }

    @Test func aHeaderOnlyReadAcceptsGzipMembersAsGzipReadsThem() throws {
        let directory = try TemporaryDirectory()
        let whole = IDXHeader(dataType: .uint8, dimensions: [4, 2]).encoded() + [1, 2, 3, 4, 5, 6, 7, 8]
        let first = try DataFileWriter.gzipCompressed(Array(whole[..<6]), path: "first")
        let second = try DataFileWriter.gzipCompressed(Array(whole[6...]), path: "second")
        let path = try directory.write(first + second, to: "two-members.gz")
        #expect(try IDXFile.readHeader(path: path) == IDXHeader(dataType: .uint8, dimensions: [4, 2]))
        let shortSecond = try DataFileWriter.gzipCompressed(Array(whole[6..<15]), path: "second")
        let short = try directory.write(first + shortSecond, to: "short-members.gz")
        #expect(dataFileError { try IDXFile.readHeader(path: short) }?.description ==
            "\(short): at byte 15: truncated body: dimensions [4, 2] of uint8 need 8 bytes after the 12-byte header, but the data ends at byte 15")
    }
}
