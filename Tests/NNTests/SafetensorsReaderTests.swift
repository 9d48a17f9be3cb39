import Foundation
import NN
import NNTensor
import Testing

/// `SafetensorsReader`: names and shapes come from the header, tensors are read only when asked
/// for, so a file declaring tensors far larger than memory is refused by name at once.
@Suite final class SafetensorsReaderTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A file of `json` (padded to a multiple of 8) and a data section of `dataSize` bytes: `data`,
    /// then a hole (sparse: a 40 GB data section takes no disk space). Returns its path.
    func sparseFile(_ name: String, header json: String, data: [UInt8] = [], dataSize: Int) throws -> String {
        var header = Array(json.utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var bytes = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        bytes.append(contentsOf: data)
        let path = directory.appendingPathComponent(name).path
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(truncate(path, off_t(8 + header.count + dataSize)) == 0)
        return path
    }

    func linear() throws -> Linear {
        var generator = RandomGenerator(seed: 1)
        return try Linear(inFeatures: 2, outFeatures: 1, generator: &generator)
    }

    /// Issue 13: a 1e10-element tensor (40 GB as floats) made `--init` abort allocating it. Now its
    /// name is refused from the header, and a file with the network's tensors plus a 3e9-element
    /// extra one is refused the same way, before any data is read.
    @Test func hugeTensorsAreRefusedFromTheHeaderWithoutReadingThem() throws {
        let huge = try sparseFile("huge.safetensors", header: #"{"huge":{"dtype":"F32","shape":[10000000000],"data_offsets":[0,40000000000]}}"#,
                                  dataSize: 40_000_000_000)
        let module = try linear()
        let start = ContinuousClock.now
        #expect(throws: SafetensorsError.incompatibleState(missing: ["weight", "bias"], unexpected: ["huge"], shapeMismatches: [])) {
            try module.loadState(from: SafetensorsReader(path: huge))
        }
        let extra = try sparseFile("extra.safetensors", header: """
            {"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},\
            "extra":{"dtype":"F32","shape":[3000000000],"data_offsets":[12,12000000012]}}
            """, dataSize: 12_000_000_012)
        #expect(throws: SafetensorsError.incompatibleState(missing: [], unexpected: ["extra"], shapeMismatches: [])) {
            try module.loadState(from: SafetensorsReader(path: extra))
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    /// Only the module's tensors are read; their values arrive intact.
    @Test func readsTheModulesTensors() throws {
        let values: [Float] = [0.5, -2, 3]
        let path = try sparseFile("weights.safetensors", header: """
            {"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}
            """, data: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }, dataSize: 12)
        let module = try linear()
        try module.loadState(from: SafetensorsReader(path: path))
        #expect(module.weight.value.scalars == [0.5, -2])
        #expect(try module.state(named: "bias").value.scalars == [3])
    }

    /// Issue 13: offsets near `Int.max` printed a negative file offset.
    @Test func offsetsNearIntMaxPrintUnsigned() throws {
        let path = try sparseFile("far.safetensors", header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775800,9223372036854775804]}}"#,
                                  dataSize: 0)
        #expect {
            try SafetensorsReader(path: path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("(file offset 9223372036854775") && !text.contains("-92")
        }
    }

    @Test func headerBeyondTheLimitIsRefusedBeforeItIsRead() throws {
        let path = directory.appendingPathComponent("long-header.safetensors").path
        try withUnsafeBytes(of: UInt64(SafetensorsReader.maximumHeaderLength + 8).littleEndian) { try Data($0).write(to: URL(fileURLWithPath: path)) }
        #expect(truncate(path, off_t(SafetensorsReader.maximumHeaderLength + 16)) == 0)
        #expect {
            try SafetensorsReader(path: path)
        } throws: { error in
            "\(error)".contains("exceeds the 100000000-byte limit")
        }
    }

    @Test func fifoIsRefusedWithoutWaiting() throws {
        let path = directory.appendingPathComponent("fifo.safetensors").path
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: SafetensorsError.io(path: path, message: "cannot read: not a regular file")) {
            try SafetensorsReader(path: path)
        }
    }

    /// 200,000 empty tensors (no elements, so no element budget stops them) are read in linear
    /// time, and a mismatch lists 20 of them and their number.
    @Test func manyEmptyTensorsAreReadQuicklyAndListedShortly() throws {
        let count = 200_000
        let entries = (0..<count).map { #""t\#($0)":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}"# }
        let path = try sparseFile("many.safetensors", header: "{\(entries.joined(separator: ","))}", dataSize: 0)
        let start = ContinuousClock.now
        let reader = try SafetensorsReader(path: path)
        #expect(try reader.allTensors().count == count)
        #expect {
            try self.linear().loadState(from: reader)
        } throws: { error in
            "\(error)".hasSuffix(", … (\(count) in all)")
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
