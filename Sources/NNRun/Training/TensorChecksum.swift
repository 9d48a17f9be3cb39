import CZlib
import Foundation

/// CRC-32 (zlib's, as `zlib.crc32` in Python) over a checkpoint's data section: detects flipped or
/// replaced tensor bytes. Not a signature: anyone who can edit the file can recompute it.
struct TensorChecksum: Equatable {
    private(set) var value: UInt32 = 0

    /// Continues the checksum over `bytes`.
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let count = min(bytes.count - offset, Int(UInt32.max))
            let start = bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self)
            value = UInt32(crc32(uLong(value), start, uInt(count)))
            offset += count
        }
    }

    /// Eight lowercase hex digits, as stored in the metadata.
    var text: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
