import Foundation

/// The JSON header of a safetensors file, parsed and checked against the size of the data section:
/// every tensor has a known dtype, a valid shape, and a byte range inside the data section of exactly
/// shape × dtype bytes; ranges neither overlap nor leave bytes unclaimed (as the reference
/// implementation requires).
struct SafetensorsHeader {
    /// Tensors in data-section order.
    let entries: [SafetensorsEntry]
    let metadata: [String: String]

    static let metadataKey = "__metadata__"

    /// Parses `json` (the header bytes) and checks it against a data section of `dataSize` bytes that
    /// starts at file offset `dataStart`.
    init(json: Data, dataSize: Int, dataStart: Int) throws(SafetensorsError) {
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: json)
        } catch let error as DecodingError {
            throw .invalidHeader(Self.describe(error))
        } catch {
            throw .invalidHeader("\(error)")
        }
        var entries: [SafetensorsEntry] = []
        for raw in raw.entries {
            entries.append(try Self.check(raw, dataSize: dataSize, dataStart: dataStart))
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        try Self.checkLayout(entries, dataSize: dataSize, dataStart: dataStart)
        self.entries = entries
        self.metadata = raw.metadata
    }

    private static func check(_ raw: RawEntry, dataSize: Int, dataStart: Int) throws(SafetensorsError) -> SafetensorsEntry {
        guard let dtype = SafetensorsDType(rawValue: raw.dtype) else {
            throw .unsupportedDType(tensor: raw.name, dtype: raw.dtype)
        }
        var elementCount = 1
        for dimension in raw.shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else { throw .invalidShape(tensor: raw.name, shape: raw.shape) }
            elementCount = product
        }
        guard raw.dataOffsets.count == 2 else {
            throw .invalidHeader("tensor '\(raw.name)': data_offsets must hold two integers, got \(raw.dataOffsets)")
        }
        let (begin, end) = (raw.dataOffsets[0], raw.dataOffsets[1])
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw .offsetsOutOfRange(tensor: raw.name, begin: begin, end: end, dataSize: dataSize,
                                     fileOffset: UInt64(dataStart) + UInt64(max(begin, 0)))
        }
        let (expectedBytes, overflow) = elementCount.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, expectedBytes == end - begin else {
            throw .sizeMismatch(tensor: raw.name, shape: raw.shape, dtype: dtype.rawValue,
                                expectedBytes: overflow ? Int.max : expectedBytes, actualBytes: end - begin)
        }
        return SafetensorsEntry(name: raw.name, dtype: dtype, shape: raw.shape, begin: begin, end: end)
    }

    /// `entries` sorted by offset must tile the data section exactly.
    private static func checkLayout(_ entries: [SafetensorsEntry], dataSize: Int, dataStart: Int) throws(SafetensorsError) {
        var position = 0
        var previous: String?
        for entry in entries {
            if entry.begin < position, let previous {
                throw .overlappingTensors(first: previous, second: entry.name, fileOffset: dataStart + entry.begin)
            }
            if entry.begin > position {
                throw .unclaimedBytes(after: previous, fileOffset: dataStart + position, count: entry.begin - position)
            }
            position = entry.end
            previous = entry.name
        }
        if position < dataSize {
            throw .unclaimedBytes(after: previous, fileOffset: dataStart + position, count: dataSize - position)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.isEmpty ? "" : "at \(context.codingPath.map(\.stringValue).joined(separator: ".")): "
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context))missing key '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context))\(context.debugDescription)"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return "\(path(context))\(context.debugDescription)\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The header as JSON: an object of tensor entries plus an optional `__metadata__` string map.
private struct RawHeader: Decodable {
    var entries: [RawEntry] = []
    var metadata: [String: String] = [:]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: HeaderKey.self)
        for key in container.allKeys {
            if key.stringValue == SafetensorsHeader.metadataKey {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                var entry = try container.decode(RawEntry.self, forKey: key)
                entry.name = key.stringValue
                entries.append(entry)
            }
        }
    }
}

private struct RawEntry: Decodable {
    var name = ""
    let dtype: String
    let shape: [Int]
    let dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape, dataOffsets = "data_offsets"
    }
}

private struct HeaderKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
