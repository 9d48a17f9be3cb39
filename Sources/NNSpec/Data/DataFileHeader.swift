import Foundation

/// Reads only the start of a data file: the dimensions in an IDX header, the column count of a
/// CSV file. Never the whole file.
enum DataFileHeader {
    enum Failure: Error {
        case missing
        case unreadable(String)
    }

    /// The dimensions of an IDX file (MNIST's format): bytes 0–1 are zero, byte 2 the element type,
    /// byte 3 the number of dimensions, then each dimension as a big-endian UInt32.
    /// A `.gz` file is inflated only as far as the header.
    static func idxDimensions(atPath path: String) throws(Failure) -> [Int] {
        let prefix = try readPrefix(atPath: path, bytes: path.hasSuffix(".gz") ? 64 * 1024 : 4 + 4 * 255)
        let header: [UInt8]
        if path.hasSuffix(".gz") {
            do {
                header = try GzipPrefix.inflate(prefix, upTo: 4 + 4 * 255)
            } catch {
                throw .unreadable("not a gzip file or damaged at byte \(error.offset): \(error.reason)")
            }
        } else {
            header = prefix
        }
        guard header.count >= 4, header[0] == 0, header[1] == 0 else {
            throw .unreadable("not an IDX file (it does not start with the bytes 00 00)")
        }
        guard [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E].contains(header[2]) else {
            throw .unreadable("unknown IDX element type 0x\(String(header[2], radix: 16))")
        }
        let count = Int(header[3])
        guard count >= 1, header.count >= 4 + 4 * count else {
            throw .unreadable("the IDX header is cut short (\(header.count) bytes for \(count) dimensions)")
        }
        return (0..<count).map { index in
            header[(4 + 4 * index)..<(8 + 4 * index)].reduce(0) { $0 << 8 | Int($1) }
        }
    }

    /// The number of comma-separated columns in the first line of a CSV file.
    static func csvColumnCount(atPath path: String) throws(Failure) -> Int {
        let prefix = try readPrefix(atPath: path, bytes: 1 << 20)
        guard let end = prefix.firstIndex(of: UInt8(ascii: "\n")) ?? (prefix.isEmpty ? nil : prefix.endIndex) else {
            throw .unreadable("the file is empty")
        }
        return prefix[..<end].count { $0 == UInt8(ascii: ",") } + 1
    }

    private static func readPrefix(atPath path: String, bytes: Int) throws(Failure) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable("cannot open it") }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.read(upToCount: bytes) ?? Data())
        } catch {
            throw .unreadable("cannot read it")
        }
    }
}
