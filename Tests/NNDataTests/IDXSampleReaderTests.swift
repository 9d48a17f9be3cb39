import Foundation
import Testing
@testable import NNData

/// `IDXSampleReader` gives, run by run, exactly what `IDXFile.read` gives at once, and finds a
/// file's wrong length where it reads it.
@Suite struct IDXSampleReaderTests {
    @Test(arguments: [(IDXDataType.uint8, false), (.uint8, true), (.int16, true), (.float64, false)])
    func runsOfSamplesEqualTheWholeFile(type: IDXDataType, compressed: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("images")
        let values = (0..<5 * 3 * 2).map { Double($0 % 100) }
        try IDXFile.write(dataType: type, dimensions: [5, 3, 2], values: values, to: path, compressed: compressed)
        let reader = try IDXSampleReader(path: path)
        #expect(reader.sampleShape == [3, 2] && reader.sampleElementCount == 6 && reader.remainingSamples == 5)
        var run: [Float] = [], all: [Float] = [], runSizes: [Int] = []
        while reader.remainingSamples > 0 {
            try reader.readSamples(2, into: &run)
            runSizes.append(run.count)
            all += run
        }
        #expect(runSizes == [12, 12, 6])
        let whole = try IDXFile.read(path: path)
        var expected = [Float](repeating: 0, count: 30)
        expected.withUnsafeMutableBufferPointer { whole.convert(start: 0, count: 30, into: $0.baseAddress!) }
        #expect(all == expected)
    }

    @Test func aTruncatedGzipFileFailsWhereItEnds() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("images.gz")
        try IDXFile.write(dataType: .uint8, dimensions: [4, 8], values: (0..<32).map(Double.init), to: path, compressed: true)
        let header = try IDXSampleReader(path: path).header
        // A gzip file whose data stops after 3 samples: a valid stream of fewer bytes than the header needs.
        try DataFileWriter.write(header.encoded() + (0..<24).map(UInt8.init), to: path, compressed: true)
        let reader = try IDXSampleReader(path: path)
        var values: [Float] = []
        try reader.readSamples(2, into: &values)
        let error = try #require(dataFileError { try reader.readSamples(2, into: &values) })
        #expect(error.message.hasPrefix("truncated body: dimensions [4, 8] of uint8 need 32 bytes after the 12-byte header"))
    }

    @Test func bytesAfterTheLastSampleAreAnError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("images.gz")
        try IDXFile.write(dataType: .uint8, dimensions: [2, 2], values: [1, 2, 3, 4], to: path, compressed: true)
        let header = try IDXSampleReader(path: path).header
        try DataFileWriter.write(header.encoded() + [1, 2, 3, 4, 5], to: path, compressed: true)
        let reader = try IDXSampleReader(path: path)
        var values: [Float] = []
        let error = try #require(dataFileError { try reader.readSamples(2, into: &values) })
        #expect(error.message.hasPrefix("unexpected bytes after the body"))
    }
}
