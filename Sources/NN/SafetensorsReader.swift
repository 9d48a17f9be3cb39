import Foundation
import NNTensor

/// A safetensors file opened for reading tensor by tensor. Opening reads only the 8-byte prefix and
/// the header, checked against the file's size; no tensor data is read until `tensor(named:)` asks
/// for it. So a caller can match names and shapes first and read only what it needs: memory is the
/// header plus the tensors read, whatever the file declares.
///
/// Only regular files are read: a FIFO, device or directory is refused at once (never waited on);
/// a symbolic link to a regular file is followed.
public final class SafetensorsReader {
    /// The largest header accepted, in bytes (the reference implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    public let path: String
    /// The tensors' names, dtypes and shapes, in data-section order.
    public let entries: [SafetensorsEntry]
    public let metadata: [String: String]
    /// The file offset of the data section (8 + the header length).
    public let dataStart: Int
    /// The data section's length in bytes.
    public let dataSize: Int
    private let file: ReadOnlyFile

    /// Opens `path` and checks its header; the error names the file and what is wrong with it.
    public init(path: String) throws(SafetensorsError) {
        self.path = path
        file = try ReadOnlyFile(regularFileAt: path)
        guard file.size >= 8 else { throw .truncatedPrefix(fileSize: file.size) }
        var prefix = [UInt8](repeating: 0, count: 8)
        try file.read(into: &prefix, at: 0)
        let headerLength = prefix.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(file.size - 8) else {
            throw .headerLengthOutOfRange(headerLength: headerLength, available: file.size - 8)
        }
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw .invalidHeader("its length \(headerLength) exceeds the \(Self.maximumHeaderLength)-byte limit")
        }
        var json = [UInt8](repeating: 0, count: Int(headerLength))
        try file.read(into: &json, at: 8)
        dataStart = 8 + Int(headerLength)
        dataSize = file.size - dataStart
        let header = try SafetensorsHeader(json: Data(json), dataSize: dataSize, dataStart: dataStart)
        entries = header.entries
        metadata = header.metadata
    }

    /// The tensor stored under `name`, read from the file now and converted to `Float`.
    public func tensor(named name: String) throws(SafetensorsError) -> NamedTensor {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw .missingTensor(name: name, available: entries.map(\.name))
        }
        return try read(entry)
    }

    /// Every tensor of the file, in data-section order.
    public func allTensors() throws(SafetensorsError) -> [NamedTensor] {
        var tensors: [NamedTensor] = []
        for entry in entries { tensors.append(try read(entry)) }
        return tensors
    }

    private func read(_ entry: SafetensorsEntry) throws(SafetensorsError) -> NamedTensor {
        var bytes = [UInt8](repeating: 0, count: entry.end - entry.begin)
        try file.read(into: &bytes, at: dataStart + entry.begin)
        return bytes.withUnsafeBytes { entry.tensor(from: $0) }
    }

    /// Hands `body` the data section's bytes in order, in chunks of at most `chunkSize` bytes (for a
    /// checksum over a file of any size in bounded memory).
    public func forEachDataChunk(chunkSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) -> Void) throws(SafetensorsError) {
        var chunk = [UInt8](repeating: 0, count: min(chunkSize, dataSize))
        var offset = 0
        while offset < dataSize {
            let count = min(chunk.count, dataSize - offset)
            if count < chunk.count { chunk.removeLast(chunk.count - count) }
            try file.read(into: &chunk, at: dataStart + offset)
            chunk.withUnsafeBytes(body)
            offset += count
        }
    }
}

/// One tensor as a safetensors header declares it.
public struct SafetensorsEntry: Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// Byte range within the data section.
    public let begin: Int, end: Int

    /// The tensor decoded from `bytes`, its `end - begin` bytes.
    func tensor(from bytes: UnsafeRawBufferPointer) -> NamedTensor {
        let count = shape.elementCount
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { dtype.decode(bytes.baseAddress!, count: count, into: buffer) }
            initialized = count
        }
        return NamedTensor(name, Tensor(shape: shape, scalars: scalars), dtype: dtype)
    }
}
