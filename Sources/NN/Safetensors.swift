import Foundation
import NNTensor

/// A tensor with the name it is stored under (PyTorch's `state_dict` key, e.g. `conv1.weight`) and
/// its element type in a file: the dtype it was read from, or the one to write it as.
public struct NamedTensor: Sendable, Equatable {
    public var name: String
    public var tensor: Tensor
    public var dtype: SafetensorsDType

    public init(_ name: String, _ tensor: Tensor, dtype: SafetensorsDType = .f32) {
        self.name = name
        self.tensor = tensor
        self.dtype = dtype
    }
}

/// The contents of a safetensors file: named tensors in a stable order plus free-form string
/// metadata (the header's `__metadata__`).
///
/// Format: an 8-byte little-endian header length N, N bytes of JSON
/// `{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}`,
/// then the raw little-endian data, offsets relative to its start. Files read here may hold
/// F64, F32, F16, BF16 and integer tensors (converted to `Float`); each tensor is written in its
/// `dtype` (F32 unless set otherwise).
public struct SafetensorsFile: Sendable, Equatable {
    /// In the order given when writing; in data-offset order when read from a file.
    public var tensors: [NamedTensor]
    public var metadata: [String: String]

    public init(tensors: [NamedTensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public var names: [String] { tensors.map(\.name) }

    /// The tensor stored under `name`; throws `missingTensor` listing the names present.
    public func tensor(named name: String) throws(SafetensorsError) -> Tensor {
        guard let found = tensors.first(where: { $0.name == name }) else {
            throw .missingTensor(name: name, available: names)
        }
        return found.tensor
    }

    /// Reads and validates the file at `url` (a regular file), every tensor converted to `Float`.
    /// `SafetensorsReader` reads only the tensors asked for.
    public init(contentsOf url: URL) throws(SafetensorsError) {
        let reader = try SafetensorsReader(path: url.path)
        self.init(tensors: try reader.allTensors(), metadata: reader.metadata)
    }

    /// Parses and validates the bytes of a safetensors file.
    public init(decoding data: Data) throws(SafetensorsError) {
        let fileSize = data.count
        guard fileSize >= 8 else { throw .truncatedPrefix(fileSize: fileSize) }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(fileSize - 8) else {
            throw .headerLengthOutOfRange(headerLength: headerLength, available: fileSize - 8)
        }
        let dataStart = 8 + Int(headerLength)
        let base = data.startIndex
        let header = try SafetensorsHeader(json: data.subdata(in: base + 8 ..< base + dataStart),
                                           dataSize: fileSize - dataStart, dataStart: dataStart)
        let tensors = data.withUnsafeBytes { bytes in
            header.entries.map { entry in
                entry.tensor(from: UnsafeRawBufferPointer(rebasing: bytes[dataStart + entry.begin ..< dataStart + entry.end]))
            }
        }
        self.init(tensors: tensors, metadata: header.metadata)
    }
}
