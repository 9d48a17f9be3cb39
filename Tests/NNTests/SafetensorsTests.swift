import Foundation
import NN
import NNTensor
import Testing

@Suite struct SafetensorsTests {
    /// A file whose header is `json` (padded to a multiple of 8) followed by `dataSize` zero bytes.
    func file(header json: String, dataSize: Int) -> Data {
        var header = Array(json.utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var bytes = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        bytes.append(Data(count: dataSize))
        return bytes
    }

    func expectError(_ expected: SafetensorsError, decoding data: Data, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: expected, sourceLocation: sourceLocation) { try SafetensorsFile(decoding: data) }
    }

    let sample = SafetensorsFile(
        tensors: [
            NamedTensor("conv1.weight", Tensor(shape: [2, 1, 2, 2], scalars: (0..<8).map { Float($0) * 0.25 - 1 })),
            NamedTensor("conv1.bias", Tensor(shape: [2], scalars: [.pi, -0.0])),
            NamedTensor("scalar", Tensor(scalar: 42)),
            NamedTensor("empty", Tensor(zeros: [0, 3])),
            NamedTensor("a \"quoted\"\\name\n", Tensor(shape: [1], scalars: [1e-30])),
            NamedTensor("num_batches_tracked", Tensor(scalar: 7), dtype: .i64),
            NamedTensor("f64", Tensor(shape: [2], scalars: [1e-38, -3]), dtype: .f64),
        ],
        metadata: ["format": "pt", "note": "ünïcode \"quotes\""])

    @Test func roundTripsTensorsOrderAndMetadata() throws {
        let decoded = try SafetensorsFile(decoding: try sample.encoded())
        #expect(decoded == sample)
        #expect(decoded.names == sample.names)
    }

    @Test func writesAtomicallyAndAlignsTheData() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        try sample.write(to: url)
        try sample.write(to: url)  // replaces the existing file
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        #expect(headerLength % 8 == 0)
        #expect(try SafetensorsFile(contentsOf: url) == sample)
    }

    @Test func readsEveryDTypeWrittenByPython() throws {
        let file = try Reference.load("dtypes.safetensors")
        #expect(try Reference.metadata(file)["written_by"] as? String == "make_reference.py")
        let values = try file.tensor(named: "f32"), integers = try file.tensor(named: "integers")
        #expect(values.shape == [2, 3])
        for name in ["f64", "f16", "bf16"] { #expect(try file.tensor(named: name) == values, "\(name)") }
        for name in ["i64", "i32", "i16", "i8"] { #expect(try file.tensor(named: name) == integers, "\(name)") }
        #expect(try file.tensor(named: "u8").scalars == integers.scalars.map(abs))
        #expect(try file.tensor(named: "bool").scalars == integers.scalars.map { $0 == 0 ? 0 : 1 })
        #expect(try file.tensor(named: "scalar") == Tensor(scalar: 2.5))
        #expect(try file.tensor(named: "empty") == Tensor(zeros: [0, 3]))
        #expect(file.tensors.first { $0.name == "i64" }?.dtype == .i64)
    }

    @Test func reencodesAPythonWrittenFileByteForByte() throws {
        let url = Reference.directory.appendingPathComponent("dtypes.safetensors")
        #expect(try SafetensorsFile(contentsOf: url).encoded() == (try Data(contentsOf: url)))
    }

    @Test func narrowsToHalfPrecisionAsPyTorchRounds() throws {
        let file = try Reference.load("dtypes.safetensors")
        let values = try file.tensor(named: "rounding")
        for dtype in [SafetensorsDType.f16, .bf16] {
            let narrowed = try SafetensorsFile(decoding: SafetensorsFile(tensors: [NamedTensor("x", values, dtype: dtype)]).encoded())
            let expected = try file.tensor(named: "rounding_\(dtype.rawValue.lowercased())")
            #expect(narrowed.tensors[0].tensor.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern), "\(dtype)")
        }
    }

    @Test func refusesValuesAnIntegerDTypeCannotHold() {
        for (value, dtype) in [(Float(2.5), SafetensorsDType.i64), (300, .u8), (-1, .u8), (2, .bool), (1e10, .i32)] {
            #expect(throws: SafetensorsError.unrepresentableValue(tensor: "n", value: value, dtype: dtype.rawValue)) {
                try SafetensorsFile(tensors: [NamedTensor("n", Tensor(shape: [2], scalars: [1, value]), dtype: dtype)]).encoded()
            }
        }
    }

    @Test func namesAMissingTensorAndTheOnesPresent() throws {
        #expect(throws: SafetensorsError.missingTensor(name: "fc9.weight", available: sample.names)) {
            try sample.tensor(named: "fc9.weight")
        }
    }

    @Test func rejectsTruncatedFiles() throws {
        let bytes = try sample.encoded()
        expectError(.truncatedPrefix(fileSize: 5), decoding: bytes.prefix(5))
        let headerLength = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        expectError(.headerLengthOutOfRange(headerLength: headerLength, available: 20), decoding: bytes.prefix(28))
        // Cut inside the data section: the last tensor's range now reaches past the end.
        let dataStart = 8 + Int(headerLength)
        let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile(decoding: bytes.prefix(dataStart + 10)) }
        guard case .offsetsOutOfRange(_, _, _, let dataSize, _)? = error else {
            Issue.record("expected offsetsOutOfRange, got \(String(describing: error))")
            return
        }
        #expect(dataSize == 10)
    }

    @Test func rejectsAHeaderLengthBeyondTheFile() {
        var bytes = Data()
        withUnsafeBytes(of: UInt64.max.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array("{}".utf8))
        expectError(.headerLengthOutOfRange(headerLength: .max, available: 2), decoding: bytes)
    }

    @Test func rejectsMalformedJSON() throws {
        let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile(decoding: file(header: "{\"a\": {", dataSize: 0)) }
        #expect(error?.description.contains("at byte offset 8") == true)
        let missing = #expect(throws: SafetensorsError.self) {
            try SafetensorsFile(decoding: file(header: #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, dataSize: 4))
        }
        #expect(missing?.description.contains("'dtype'") == true)
        #expect(throws: SafetensorsError.self) {
            try SafetensorsFile(decoding: file(header: #"{"__metadata__":{"epoch":3}}"#, dataSize: 0))
        }
        #expect(throws: SafetensorsError.self) {
            try SafetensorsFile(decoding: file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0.5,4]}}"#, dataSize: 4))
        }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(decoding: file(header: "[1, 2]", dataSize: 0)) }
        #expect(throws: SafetensorsError.self) {
            try SafetensorsFile(decoding: file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, dataSize: 8))
        }
    }

    @Test func rejectsOffsetsOutOfRange() {
        expectError(.offsetsOutOfRange(tensor: "w", begin: 0, end: 16, dataSize: 8, fileOffset: 64),
                    decoding: file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataSize: 8))
        expectError(.offsetsOutOfRange(tensor: "w", begin: 8, end: 4, dataSize: 8, fileOffset: 72),
                    decoding: file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, dataSize: 8))
    }

    @Test func rejectsShapeAndDTypeThatDisagreeWithTheOffsets() {
        expectError(.sizeMismatch(tensor: "w", shape: [2, 3], dtype: "F32", expectedBytes: 24, actualBytes: 20),
                    decoding: file(header: #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#, dataSize: 20))
        expectError(.sizeMismatch(tensor: "w", shape: [3], dtype: "F16", expectedBytes: 6, actualBytes: 12),
                    decoding: file(header: #"{"w":{"dtype":"F16","shape":[3],"data_offsets":[0,12]}}"#, dataSize: 12))
        expectError(.invalidShape(tensor: "w", shape: [-1, 4]),
                    decoding: file(header: #"{"w":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,16]}}"#, dataSize: 16))
    }

    @Test func rejectsUnknownDTypes() {
        expectError(.unsupportedDType(tensor: "w", dtype: "F8_E4M3"),
                    decoding: file(header: #"{"w":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}"#, dataSize: 4))
    }

    @Test func rejectsOverlappingTensorsAndUnclaimedBytes() {
        let overlapping = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let headerSize = 8 + (overlapping.utf8.count + 7) / 8 * 8
        expectError(.overlappingTensors(first: "a", second: "b", fileOffset: headerSize + 4),
                    decoding: file(header: overlapping, dataSize: 12))
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let gapHeaderSize = 8 + (gap.utf8.count + 7) / 8 * 8
        expectError(.unclaimedBytes(after: "a", fileOffset: gapHeaderSize + 4, count: 4), decoding: file(header: gap, dataSize: 12))
        let trailing = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let trailingHeaderSize = 8 + (trailing.utf8.count + 7) / 8 * 8
        expectError(.unclaimedBytes(after: "a", fileOffset: trailingHeaderSize + 4, count: 2),
                    decoding: file(header: trailing, dataSize: 6))
    }

    @Test func refusesDuplicateOrReservedNamesAndUnwritablePaths() {
        let tensor = Tensor(scalar: 1)
        #expect(throws: SafetensorsError.self) {
            try SafetensorsFile(tensors: [NamedTensor("w", tensor), NamedTensor("w", tensor)]).encoded()
        }
        #expect(throws: SafetensorsError.self) {
            try SafetensorsFile(tensors: [NamedTensor("__metadata__", tensor)]).encoded()
        }
        let error = #expect(throws: SafetensorsError.self) {
            try sample.write(to: URL(fileURLWithPath: "/nonexistent-directory/model.safetensors"))
        }
        #expect(error?.description.contains("/nonexistent-directory") == true)
    }
}
