/// Why a safetensors file could not be read or written. Each case names what is wrong and, for a
/// malformed file, the byte offset (from the start of the file) where the problem lies.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file is shorter than the 8-byte header-length prefix.
    case truncatedPrefix(fileSize: Int)
    /// The header length read at offset 0 does not fit in the bytes that follow the prefix.
    case headerLengthOutOfRange(headerLength: UInt64, available: Int)
    /// The header (at byte offset 8) is not valid UTF-8 JSON of the expected form.
    case invalidHeader(String)
    /// A tensor's `dtype` is not one this reader knows.
    case unsupportedDType(tensor: String, dtype: String)
    /// A tensor's shape has a negative dimension or too many elements.
    case invalidShape(tensor: String, shape: [Int])
    /// A tensor's `data_offsets` are reversed or reach past the end of the data section; `fileOffset`
    /// is where it would begin (unsigned: a `begin` near `Int.max` puts it past `Int.max`).
    case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataSize: Int, fileOffset: UInt64)
    /// A tensor's byte range does not hold shape × dtype bytes.
    case sizeMismatch(tensor: String, shape: [Int], dtype: String, expectedBytes: Int, actualBytes: Int)
    /// Two tensors' byte ranges overlap; `fileOffset` is where the second one begins.
    case overlappingTensors(first: String, second: String, fileOffset: Int)
    /// Bytes between two tensors (or after the last) belong to no tensor.
    case unclaimedBytes(after: String?, fileOffset: Int, count: Int)
    /// A tensor the caller asked for is not in the file.
    case missingTensor(name: String, available: [String])
    /// The same tensor name appears twice in what is to be written, or a name is reserved.
    case invalidName(String)
    /// A value cannot be written in the tensor's dtype (a fraction or out of range for an integer type).
    case unrepresentableValue(tensor: String, value: Float, dtype: String)
    /// A file's tensors do not fit a module's parameters and buffers: names the module needs but
    /// the file lacks, names the module does not have, and shapes that differ.
    case incompatibleState(missing: [String], unexpected: [String], shapeMismatches: [String])
    /// The file system refused a read, write or rename.
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case .truncatedPrefix(let fileSize):
            return "safetensors file truncated: \(fileSize) bytes, fewer than the 8-byte header-length prefix"
        case .headerLengthOutOfRange(let headerLength, let available):
            return "safetensors header length \(headerLength) (at byte offset 0) exceeds the \(available) bytes after the 8-byte prefix"
        case .invalidHeader(let reason):
            return "safetensors header (at byte offset 8) is invalid: \(reason)"
        case .unsupportedDType(let tensor, let dtype):
            let known = SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "tensor '\(tensor)' has unsupported dtype '\(dtype)' (supported: \(known))"
        case .invalidShape(let tensor, let shape):
            return "tensor '\(tensor)' has invalid shape \(shape)"
        case .offsetsOutOfRange(let tensor, let begin, let end, let dataSize, let fileOffset):
            return "tensor '\(tensor)' data_offsets [\(begin), \(end)] (file offset \(fileOffset)) are out of range of the \(dataSize)-byte data section"
        case .sizeMismatch(let tensor, let shape, let dtype, let expectedBytes, let actualBytes):
            return "tensor '\(tensor)' of shape \(shape) and dtype \(dtype) needs \(expectedBytes) bytes but its data_offsets span \(actualBytes)"
        case .overlappingTensors(let first, let second, let fileOffset):
            return "tensor '\(second)' (file offset \(fileOffset)) overlaps tensor '\(first)'"
        case .unclaimedBytes(let after, let fileOffset, let count):
            let place = after.map { "after tensor '\($0)'" } ?? "before the first tensor"
            return "\(count) bytes at file offset \(fileOffset) \(place) belong to no tensor"
        case .missingTensor(let name, let available):
            let shown = available.prefix(20).joined(separator: ", ") + (available.count > 20 ? ", …" : "")
            return "no tensor named '\(name)' (the file has \(available.count): \(shown))"
        case .invalidName(let reason):
            return "invalid tensor name: \(reason)"
        case .unrepresentableValue(let tensor, let value, let dtype):
            return "tensor '\(tensor)' holds \(value), which dtype \(dtype) cannot represent"
        case .incompatibleState(let missing, let unexpected, let shapeMismatches):
            let parts = [("missing", missing), ("unexpected", unexpected), ("shape mismatch for", shapeMismatches)]
                .filter { !$0.1.isEmpty }.map { "\($0.0): \(Self.list($0.1))" }
            return "state does not fit the module: \(parts.joined(separator: "; "))"
        case .io(let path, let message):
            return "\(path): \(message)"
        }
    }

    /// The first 20 of `names`, then how many there are in all (a hostile file may hold millions).
    private static func list(_ names: [String]) -> String {
        names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", … (\(names.count) in all)" : "")
    }
}
