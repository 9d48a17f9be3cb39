import Foundation
import Testing
@testable import NNData

@Suite struct NPYFileTests {
    /// What `np.save` writes for `np.array([[1.5, -2], [3, 4e-3]], dtype=np.float32)`:
    /// ```python
    /// import io, numpy as np
    /// b = io.BytesIO(); np.save(b, np.array([[1.5, -2], [3, 4e-3]], dtype=np.float32))
    /// b.getvalue()[:10], b.getvalue()[128:].hex()   # b"\x93NUMPY\x01\x00v\x00", '0000c03f000000c0000040406f12833b'
    /// ```
    static let numpyBytes: [UInt8] = NPYHeader.magic + [1, 0, 0x76, 0]
        + Array("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }".utf8) + Array(repeating: 0x20, count: 58)
        + [0x0A] + hexBytes("0000c03f000000c0000040406f12833b")

    static func hexBytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    @Test func readsWhatNumPyWrites() throws {
        let directory = try TemporaryDirectory()
        let file = try NPYFile(path: try directory.write(Self.numpyBytes, to: "x.npy"))
        #expect(file.header.shape == [2, 2])
        #expect(file.sampleShape == [2])
        var values: [Float] = []
        try file.readSamples(1, into: &values)
        #expect(values == [1.5, -2])
        try file.readSamples(5, into: &values)
        #expect(values == [3, 4e-3])
        #expect(file.remainingSamples == 0)
    }

    @Test func writesWhatNumPyWrites() {
        let encoded = NPYHeader(shape: [2, 2]).encoded() + NPYFile.encodedBody([1.5, -2, 3, 4e-3])
        #expect(encoded == Self.numpyBytes)
        #expect(NPYHeader(shape: [5]).encoded().count == 128)
        #expect(String(decoding: NPYHeader(shape: [5]).encoded()[10...], as: UTF8.self).hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"))
    }

    /// A comment ends the header line (NumPy's parser skips it); the header stays 64-byte aligned.
    @Test func aCommentEndsTheHeaderLine() throws {
        let header = NPYHeader(shape: [3, 2]).encoded(comment: "# nnspec predictions")
        #expect(header.count % 64 == 0)
        let text = String(decoding: header[10...], as: UTF8.self)
        #expect(text.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), } "))
        #expect(text.hasSuffix(" # nnspec predictions\n"))
        let directory = try TemporaryDirectory()
        let file = try NPYFile(path: try directory.write(header + NPYFile.encodedBody([1, 2, 3, 4, 5, 6]), to: "c.npy"))
        var values: [Float] = []
        try file.readSamples(3, into: &values)
        #expect(file.header.shape == [3, 2] && values == [1, 2, 3, 4, 5, 6])
    }

    @Test(arguments: [false, true])
    func roundTripsPlainAndGzip(compressed: Bool) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path(compressed ? "x.npy.gz" : "x.npy")
        let values = (0..<3 * 4 * 5).map { Float($0) * 0.25 - 3 }
        try DataFileWriter.write(NPYHeader(shape: [3, 4, 5]).encoded() + NPYFile.encodedBody(values), to: path, compressed: compressed)
        let file = try NPYFile(path: path)
        #expect(file.sampleShape == [4, 5] && file.sampleElementCount == 20)
        var read: [Float] = [], all: [Float] = []
        while file.remainingSamples > 0 {
            try file.readSamples(2, into: &read)
            all += read
        }
        #expect(all == values)
    }

    @Test(arguments: [
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", "elements of type '<f8' are not float32 ('<f4'); save x.astype(np.float32)"),
        ("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", "the array is in Fortran order; save np.ascontiguousarray(x)"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", "the array is a scalar; it needs a first dimension of samples"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", "the header dict is malformed: expected a dimension"),
        ("{'descr': '<f4', 'fortran_order': False}", "the header dict is malformed: it needs 'descr', 'fortran_order' and 'shape'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", "the shape [99999999999, 99999999999] is too large"),
    ])
    func refusesWhatItCannotFeed(dictionary: String, message: String) throws {
        let directory = try TemporaryDirectory()
        let text = Array(dictionary.utf8) + [0x0A]
        let bytes = NPYHeader.magic + [1, 0, UInt8(text.count), 0] + text + Array(repeating: 0, count: 16)
        let error = try #require(dataFileError { try NPYFile(path: try directory.write(bytes, to: "bad.npy")) })
        #expect(error.message == message)
    }

    @Test func namesTheSizeThatDoesNotMatch() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array(Self.numpyBytes.dropLast(4)), to: "short.npy")
        let error = try #require(dataFileError { try NPYFile(path: path) })
        #expect(error.description == "\(path): at byte 140: the header describes [2, 2] float32 values (144 bytes in all) but the file has 140 bytes")
        let notNPY = try directory.write("a,b\n1,2\n", to: "x.csv")
        #expect(dataFileError { try NPYFile(path: notNPY) }?.message == "not a .npy file: it does not start with \\x93NUMPY")
    }
}
