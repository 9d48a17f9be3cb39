import Foundation

/// TensorFlow's TFRecord framing, in which TensorBoard event files are written: per record the
/// data's length (UInt64, little-endian), the masked CRC-32C of those 8 bytes, the data, and the
/// masked CRC-32C of the data (both UInt32, little-endian).
enum TensorBoardRecord {
    /// One record holding `data`: 16 + `data.count` bytes.
    static func framed(_ data: Data) -> Data {
        let length = littleEndianBytes(UInt64(data.count))
        var record = Data(length)
        record.append(contentsOf: littleEndianBytes(CRC32C.masked(CRC32C.checksum(length))))
        record.append(data)
        record.append(contentsOf: littleEndianBytes(CRC32C.masked(CRC32C.checksum(data))))
        return record
    }

    /// The data of each record in `bytes`, in order; throws at the first record whose length or
    /// checksum is wrong, or that is cut short.
    static func records(in bytes: Data) throws(TensorBoardRecordError) -> [Data] {
        let bytes = [UInt8](bytes)
        var records: [Data] = [], offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 12 else { throw .truncated(offset: offset) }
            let lengthBytes = bytes[offset ..< offset + 8]
            guard CRC32C.masked(CRC32C.checksum(lengthBytes)) == littleEndianValue(bytes[offset + 8 ..< offset + 12]) else {
                throw .checksum(offset: offset)
            }
            let length = littleEndianValue(lengthBytes) as UInt64
            let start = offset + 12
            guard length <= UInt64(bytes.count - start), bytes.count - start - Int(length) >= 4 else {
                throw .truncated(offset: offset)
            }
            let data = bytes[start ..< start + Int(length)]
            guard CRC32C.masked(CRC32C.checksum(data)) == littleEndianValue(bytes[start + Int(length) ..< start + Int(length) + 4]) else {
                throw .checksum(offset: offset)
            }
            records.append(Data(data))
            offset = start + Int(length) + 4
        }
        return records
    }

    private static func littleEndianBytes<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        (0 ..< Value.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    private static func littleEndianValue<Value: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>) -> Value {
        bytes.reversed().reduce(Value.zero) { ($0 << 8) | Value($1) }
    }
}

/// A record that does not frame its data: the byte offset of the record's start.
enum TensorBoardRecordError: Error, Equatable, CustomStringConvertible {
    case truncated(offset: Int)
    case checksum(offset: Int)

    var description: String {
        switch self {
        case .truncated(let offset): "the record at byte \(offset) is cut short"
        case .checksum(let offset): "the record at byte \(offset) fails its CRC-32C"
        }
    }
}
