/// An IDX file read whole: its header and its elements as stored (big-endian).
///
/// Plain and gzip-compressed files are read alike. `readHeader(path:)` checks a file without
/// loading its body, for validating a data block before a run.
public struct IDXFile: Sendable {
    public let header: IDXHeader
    /// `header.bodyByteCount` bytes: the elements, row-major, each big-endian.
    public let body: [UInt8]

    /// Reads and checks the whole file: header, then exactly the body the header describes.
    public static func read(path: String) throws(DataFileError) -> IDXFile {
        let reader = try DataFileReader(path: path)
        let header = try IDXHeader.read(from: reader)
        if !reader.isCompressed {
            let fileLength = try reader.statedLength()
            if fileLength != header.dataLength { throw header.lengthError(dataLength: fileLength, path: path, stated: "the file") }
        }
        let body = try reader.read(count: header.bodyByteCount)
        if body.count == header.bodyByteCount, try reader.read(count: 1).isEmpty {
            return IDXFile(header: header, body: body)
        }
        throw header.lengthError(dataLength: try reader.skipToEnd(), path: path, stated: "the data")
    }

    /// Reads and checks only the header, and checks the body's length against the file's size (the
    /// gzip trailer's size for a compressed file) without reading the body. The trailer states only
    /// the last member's length, modulo 2³², and a truncated file has no trailer at all: when it
    /// disagrees, the data is decompressed (not kept) to its end, so a file of several members
    /// passes as `gzip -dc` reads it and a truncated one is reported as truncated.
    public static func readHeader(path: String) throws(DataFileError) -> IDXHeader {
        let reader = try DataFileReader(path: path)
        let header = try IDXHeader.read(from: reader)
        let statedLength = try reader.statedLength()
        if reader.isCompressed {
            if statedLength != header.dataLength & 0xFFFF_FFFF {
                let dataLength = try reader.skipToEnd()
                if dataLength != header.dataLength {
                    let trailerAgrees = dataLength & 0xFFFF_FFFF == statedLength
                    throw header.lengthError(dataLength: dataLength, path: path, stated: trailerAgrees ? "the gzip trailer's length" : "the data")
                }
            }
        } else if statedLength != header.dataLength {
            throw header.lengthError(dataLength: statedLength, path: path, stated: "the file")
        }
        return header
    }

    /// Writes `values` as an IDX file of `dataType` and `dimensions` (gzip-compressed when
    /// `compressed`); throws when the count does not match or a value does not fit the type.
    public static func write(dataType: IDXDataType, dimensions: [Int], values: [Double],
                             to path: String, compressed: Bool) throws(DataFileError) {
        guard !dimensions.isEmpty, dimensions.count < 256, dimensions.allSatisfy({ (0...Int(UInt32.max)).contains($0) }),
              IDXHeader.bodyByteCount(of: dataType, dimensions) != nil else {
            throw DataFileError(path: path, location: .file,
                                message: "IDX dimensions \(dimensions) must be 1 to 255 sizes of 0 to 2³²−1 whose \(dataType) body can be addressed")
        }
        let header = IDXHeader(dataType: dataType, dimensions: dimensions)
        guard values.count == header.elementCount else {
            throw DataFileError(path: path, location: .file,
                                message: "dimensions \(dimensions) need \(header.elementCount) values, got \(values.count)")
        }
        let range = dataType.representableRange
        if let bad = values.firstIndex(where: { !range.contains($0) || (dataType.isInteger && $0.rounded() != $0) }) {
            throw DataFileError(path: path, location: .file, message: "value \(values[bad]) at index \(bad) does not fit \(dataType)")
        }
        var bytes = header.encoded()
        bytes.reserveCapacity(header.headerByteCount + header.bodyByteCount)
        for value in values { appendBigEndian(value, as: dataType, to: &bytes) }
        try DataFileWriter.write(bytes, to: path, compressed: compressed)
    }

    /// Element `index` (row-major) as a `Double` (exact for every IDX type).
    public func value(at index: Int) -> Double {
        body.withUnsafeBytes { Self.decode(at: index * header.dataType.byteWidth, of: header.dataType, in: $0) }
    }

    /// Converts `count` elements starting at element `start` to `Float`, into `destination`.
    public func convert(start: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        body.withUnsafeBytes { Self.convert($0, of: header.dataType, start: start, count: count, into: destination) }
    }

    /// Converts `count` big-endian elements of `type` in `bytes`, from element `start` on, to `Float`.
    static func convert(_ bytes: UnsafeRawBufferPointer, of type: IDXDataType, start: Int, count: Int,
                        into destination: UnsafeMutablePointer<Float>) {
        if type == .uint8 {
            for index in 0..<count { destination[index] = Float(bytes[start + index]) }
        } else {
            let width = type.byteWidth
            for index in 0..<count {
                destination[index] = Float(decode(at: (start + index) * width, of: type, in: bytes))
            }
        }
    }

    private static func decode(at byteOffset: Int, of type: IDXDataType, in bytes: UnsafeRawBufferPointer) -> Double {
        switch type {
        case .uint8: Double(bytes[byteOffset])
        case .int8: Double(Int8(bitPattern: bytes[byteOffset]))
        case .int16: Double(Int16(bigEndian: bytes.loadUnaligned(fromByteOffset: byteOffset, as: Int16.self)))
        case .int32: Double(Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: byteOffset, as: Int32.self)))
        case .float32: Double(Float(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self))))
        case .float64: Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: byteOffset, as: UInt64.self)))
        }
    }

    private static func appendBigEndian(_ value: Double, as type: IDXDataType, to bytes: inout [UInt8]) {
        let pattern: UInt64 = switch type {
        case .uint8: UInt64(value)
        case .int8: UInt64(UInt8(bitPattern: Int8(value)))
        case .int16: UInt64(UInt16(bitPattern: Int16(value)))
        case .int32: UInt64(UInt32(bitPattern: Int32(value)))
        case .float32: UInt64(Float(value).bitPattern)
        case .float64: value.bitPattern
        }
        for shift in (0..<type.byteWidth).reversed() { bytes.append(UInt8(truncatingIfNeeded: pattern >> (8 * shift))) }
    }
}
