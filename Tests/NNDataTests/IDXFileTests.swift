import Foundation
import Testing
@testable import NNData

/// The `DataFileError` a throwing expression raises, or nil when it succeeds or throws another error.
func dataFileError<T>(_ body: () throws -> T) -> DataFileError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? DataFileError
    }
}

@Suite struct IDXFileTests {
    @Test(arguments: [false, true])
    func uint8RoundTripKeepsHeaderAndValues(compressed: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path(compressed ? "images.gz" : "images")
        let values = (0..<2 * 3 * 4).map { Double(($0 * 37) % 256) }
        try IDXFile.write(dataType: .uint8, dimensions: [2, 3, 4], values: values, to: path, compressed: compressed)

        let file = try IDXFile.read(path: path)
        #expect(file.header.magic == 0x0000_0803)
        #expect(file.header.dimensions == [2, 3, 4])
        #expect(file.header.elementCount == 24)
        #expect((0..<24).map { file.value(at: $0) } == values)
        var floats = [Float](repeating: -1, count: 5)
        file.convert(start: 7, count: 5, into: &floats)
        #expect(floats == values[7..<12].map { Float($0) })
    }

    @Test func headerIsStoredBigEndianAsMNISTDoes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("labels")
        try IDXFile.write(dataType: .uint8, dimensions: [3], values: [7, 0, 9], to: path, compressed: false)
        #expect(try directory.bytes(of: "labels") == [0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9])
    }

    @Test(arguments: [IDXDataType.int8, .int16, .int32, .float32, .float64])
    func everyTypeRoundTrips(dataType: IDXDataType) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("values.gz")
        let values: [Double] = dataType.isInteger ? [-128, -1, 0, 1, 127, 5] : [-1.5, 0, 0.25, 3e5, -7, 1.0 / 1024]
        try IDXFile.write(dataType: dataType, dimensions: [3, 2], values: values, to: path, compressed: true)
        let file = try IDXFile.read(path: path)
        #expect(file.header.dataType == dataType)
        #expect(file.body.count == 6 * dataType.byteWidth)
        #expect((0..<6).map { file.value(at: $0) } == values)
        var floats = [Float](repeating: 0, count: 6)
        file.convert(start: 0, count: 6, into: &floats)
        #expect(floats == values.map { Float($0) })
    }

    @Test func largeFilesCrossReadChunksIntact() throws {
        let directory = try TemporaryDirectory()
        let values: [Double] = (0..<300 * 701).map { (index: Int) -> Double in Double((index * 7919 + index / 3) % 256) }
        for compressed in [false, true] {
            let path = directory.path(compressed ? "large.gz" : "large")
            try IDXFile.write(dataType: .uint8, dimensions: [300, 701], values: values, to: path, compressed: compressed)
            let file = try IDXFile.read(path: path)
            #expect(file.body == values.map { UInt8($0) })
        }
    }

    @Test func concatenatedGzipMembersReadAsOneStream() throws {
        let directory = try TemporaryDirectory()
        let whole = IDXHeader(dataType: .uint8, dimensions: [4]).encoded() + [1, 2, 3, 4]
        let first = try DataFileWriter.gzipCompressed(Array(whole[..<6]), path: "first")
        let second = try DataFileWriter.gzipCompressed(Array(whole[6...]), path: "second")
        let path = try directory.write(first + second, to: "two-members.gz")
        #expect(try IDXFile.read(path: path).body == [1, 2, 3, 4])
    }

    @Test func bytesAfterTheGzipDataAreRefused() throws {
        let directory = try TemporaryDirectory()
        let bytes = IDXHeader(dataType: .uint8, dimensions: [4]).encoded() + [1, 2, 3, 4]
        let compressed = try DataFileWriter.gzipCompressed(bytes, path: "good.gz")
        let path = try directory.write(compressed + Array("junk".utf8), to: "junk.gz")
        #expect(dataFileError { try IDXFile.read(path: path) }?.description ==
            "\(path): at compressed byte \(compressed.count + 2): bad gzip data: incorrect header check")
    }

    @Test(arguments: [false, true])
    func headerOnlyReadChecksTheBodyLength(compressed: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path(compressed ? "images.gz" : "images")
        try IDXFile.write(dataType: .uint8, dimensions: [5, 8, 8], values: Array(repeating: 3, count: 320), to: path, compressed: compressed)
        let header = try IDXFile.readHeader(path: path)
        #expect(header == IDXHeader(dataType: .uint8, dimensions: [5, 8, 8]))
        #expect(header.headerByteCount == 16)
        #expect(header.bodyByteCount == 320)
    }

    @Test func headerOnlyReadReportsATruncatedBodyFromTheFileSize() throws {
        let directory = try TemporaryDirectory()
        let bytes = IDXHeader(dataType: .uint8, dimensions: [10, 2]).encoded() + Array(repeating: 1, count: 15)
        let path = try directory.write(bytes, to: "short")
        #expect(dataFileError { try IDXFile.readHeader(path: path) }?.description ==
            "\(path): at byte 27: truncated body: dimensions [10, 2] of uint8 need 20 bytes after the 12-byte header, but the file ends at byte 27")
    }

    @Test func headerOnlyReadOfGzipUsesTheTrailerLength() throws {
        let directory = try TemporaryDirectory()
        let bytes = IDXHeader(dataType: .uint8, dimensions: [10, 2]).encoded() + Array(repeating: 1, count: 25)
        let path = try directory.write(try DataFileWriter.gzipCompressed(bytes, path: "long.gz"), to: "long.gz")
        #expect(dataFileError { try IDXFile.readHeader(path: path) }?.description ==
            "\(path): at byte 32: unexpected bytes after the body: dimensions [10, 2] of uint8 need 20 bytes after the 12-byte header, but the gzip trailer's length continues to byte 37")
    }

    // MARK: Malformed files

    @Test func missingFileIsNamed() {
        let path = "/nonexistent/train-images-idx3-ubyte"
        #expect(dataFileError { try IDXFile.read(path: path) }?.description == "\(path): cannot open: No such file or directory")
        #expect(dataFileError { try IDXFile.readHeader(path: path) }?.location == .file)
    }

    @Test func truncatedHeaderNamesTheOffset() throws {
        let directory = try TemporaryDirectory()
        let magicOnly = try directory.write([0, 0, 8], to: "magic")
        #expect(dataFileError { try IDXFile.read(path: magicOnly) }?.description ==
            "\(magicOnly): at byte 3: truncated header: the data ends inside the 4-byte magic number")
        let shortDimensions = try directory.write([0, 0, 8, 3, 0, 0, 0, 2, 0, 0], to: "dims")
        #expect(dataFileError { try IDXFile.readHeader(path: shortDimensions) }?.description ==
            "\(shortDimensions): at byte 10: truncated header: the data ends inside the 3 dimensions (16-byte header)")
    }

    @Test func badMagicTypeAndRankAreRefused() throws {
        let directory = try TemporaryDirectory()
        let text = try directory.write("PK\u{3}\u{4}zipfile", to: "archive")
        #expect(dataFileError { try IDXFile.read(path: text) }?.description ==
            "\(text): at byte 0: bad magic number 50 4b 03 04: an IDX file starts with 00 00, a type code and a rank")
        let badType = try directory.write([0, 0, 0x0A, 1, 0, 0, 0, 1, 0], to: "type")
        #expect(dataFileError { try IDXFile.read(path: badType) }?.description ==
            "\(badType): at byte 2: unknown IDX type code 0x0a (known: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e)")
        let rankZero = try directory.write([0, 0, 8, 0], to: "rank")
        #expect(dataFileError { try IDXFile.read(path: rankZero) }?.description ==
            "\(rankZero): at byte 3: the IDX rank (dimension count) is 0")
    }

    @Test func hugeDimensionsAreRefusedBeforeAllocating() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write([0, 0, 0x0E, 3] + Array(repeating: 0xFF, count: 12), to: "huge")
        #expect(dataFileError { try IDXFile.read(path: path) }?.description ==
            "\(path): at byte 4: dimensions [4294967295, 4294967295, 4294967295] of float64 describe more bytes than can be addressed")
    }

    @Test(arguments: [false, true])
    func aHeaderClaimingTerabytesFailsWithoutAllocatingThem(compressed: Bool) throws {
        let directory = try TemporaryDirectory()
        let bytes = IDXHeader(dataType: .uint8, dimensions: [4_000_000, 1_000_000]).encoded() + Array(repeating: 7, count: 100)
        let name = compressed ? "huge.gz" : "huge"
        let path = try directory.write(compressed ? try DataFileWriter.gzipCompressed(bytes, path: name) : bytes, to: name)
        #expect(dataFileError { try IDXFile.read(path: path) }?.description ==
            "\(path): at byte 112: truncated body: dimensions [4000000, 1000000] of uint8 need 4000000000000 bytes after the 12-byte header, but the \(compressed ? "data" : "file") ends at byte 112")
    }

    @Test(arguments: [false, true])
    func truncatedBodyNamesWhereTheDataEnds(compressed: Bool) throws {
        let directory = try TemporaryDirectory()
        let bytes = IDXHeader(dataType: .int16, dimensions: [4, 3]).encoded() + Array(repeating: 1, count: 17)
        let name = compressed ? "body.gz" : "body"
        let path = try directory.write(compressed ? try DataFileWriter.gzipCompressed(bytes, path: name) : bytes, to: name)
        #expect(dataFileError { try IDXFile.read(path: path) }?.description ==
            "\(path): at byte 29: truncated body: dimensions [4, 3] of int16 need 24 bytes after the 12-byte header, but the \(compressed ? "data" : "file") ends at byte 29")
    }

    @Test func bytesAfterTheBodyAreRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(IDXHeader(dataType: .uint8, dimensions: [2]).encoded() + [1, 2, 3, 4, 5], to: "long")
        #expect(dataFileError { try IDXFile.read(path: path) }?.description ==
            "\(path): at byte 10: unexpected bytes after the body: dimensions [2] of uint8 need 2 bytes after the 8-byte header, but the file continues to byte 13")
    }

    @Test func corruptGzipDataNamesTheCompressedOffset() throws {
        let directory = try TemporaryDirectory()
        let bytes = IDXHeader(dataType: .uint8, dimensions: [1000]).encoded() + (0..<1000).map { UInt8($0 % 251) }
        var compressed = try DataFileWriter.gzipCompressed(bytes, path: "good.gz")
        // Byte 10 is the first byte of the deflate stream: 0xFF declares block type 3, which does not exist.
        compressed[10] = 0xFF
        let path = try directory.write(compressed, to: "corrupt.gz")
        #expect(dataFileError { try IDXFile.read(path: path) }?.description ==
            "\(path): at compressed byte 11: bad gzip data: invalid block type")
    }

    @Test func gzipChecksumMismatchIsReported() throws {
        let directory = try TemporaryDirectory()
        let bytes = IDXHeader(dataType: .uint8, dimensions: [4]).encoded() + [1, 2, 3, 4]
        var compressed = try DataFileWriter.gzipCompressed(bytes, path: "good.gz")
        compressed[compressed.count - 8] ^= 0x01  // the CRC-32 in the trailer
        let path = try directory.write(compressed, to: "crc.gz")
        let error = try #require(dataFileError { try IDXFile.read(path: path) })
        #expect(error.description == "\(path): at compressed byte \(compressed.count - 4): bad gzip data: incorrect data check")
    }

    @Test func truncatedGzipFileIsReported() throws {
        let directory = try TemporaryDirectory()
        let bytes = IDXHeader(dataType: .uint8, dimensions: [2000]).encoded() + (0..<2000).map { UInt8(($0 * 31) % 256) }
        let compressed = try DataFileWriter.gzipCompressed(bytes, path: "good.gz")
        let path = try directory.write(Array(compressed[..<(compressed.count / 2)]), to: "half.gz")
        #expect(dataFileError { try IDXFile.read(path: path) }?.description ==
            "\(path): at compressed byte \(compressed.count / 2): gzip data ends early: the file is truncated")
        // The header-only read too: the last four bytes are no trailer, so it decompresses to the end.
        #expect(dataFileError { try IDXFile.readHeader(path: path) }?.description ==
            "\(path): at compressed byte \(compressed.count / 2): gzip data ends early: the file is truncated")
    }

    @Test func gzNameWithoutGzipDataIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(IDXHeader(dataType: .uint8, dimensions: [1]).encoded() + [1], to: "plain.gz")
        #expect(dataFileError { try IDXFile.readHeader(path: path) }?.description ==
            "\(path): at compressed byte 0: not gzip data: the name ends in .gz but the file does not start with the gzip magic 1f 8b")
    }

    @Test func directoryIsNotReadable() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(dataFileError { try IDXFile.read(path: directory.url.path) })
        #expect(error.description == "\(directory.url.path): at byte 0: cannot read: Is a directory")
    }

    @Test func writingRefusesValuesTheTypeCannotHold() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("bad")
        #expect(dataFileError { try IDXFile.write(dataType: .uint8, dimensions: [2], values: [1, 256], to: path, compressed: false) }?
            .description == "\(path): value 256.0 at index 1 does not fit uint8")
        #expect(dataFileError { try IDXFile.write(dataType: .int8, dimensions: [2], values: [0.5, 1], to: path, compressed: false) }?
            .description == "\(path): value 0.5 at index 0 does not fit int8")
        #expect(dataFileError { try IDXFile.write(dataType: .uint8, dimensions: [3], values: [1, 2], to: path, compressed: false) }?
            .description == "\(path): dimensions [3] need 3 values, got 2")
    }
}
