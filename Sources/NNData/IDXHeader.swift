/// The element type of an IDX file, coded in the third byte of its magic number.
public enum IDXDataType: UInt8, Sendable, CaseIterable {
    case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

    /// Bytes per element; elements are stored big-endian.
    public var byteWidth: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16: 2
        case .int32, .float32: 4
        case .float64: 8
        }
    }

    /// True for the integer types, whose values are exact in a `Float` up to 2²⁴.
    public var isInteger: Bool { self != .float32 && self != .float64 }

    /// The range of values an element of this type can hold.
    var representableRange: ClosedRange<Double> {
        switch self {
        case .uint8: 0...255
        case .int8: -128...127
        case .int16: -32768...32767
        case .int32: -2147483648...2147483647
        case .float32: -Double(Float.greatestFiniteMagnitude)...Double(Float.greatestFiniteMagnitude)
        case .float64: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        }
    }
}

/// The header of an IDX file (the MNIST format): a magic number `00 00 TYPE RANK`, then `RANK`
/// big-endian 32-bit dimensions, outermost first (MNIST images: [count, rows, columns], labels:
/// [count]), then the elements, row-major.
public struct IDXHeader: Equatable, Sendable {
    public let dataType: IDXDataType
    public let dimensions: [Int]
    /// The product of the dimensions.
    public let elementCount: Int

    init(dataType: IDXDataType, dimensions: [Int]) {
        self.dataType = dataType
        self.dimensions = dimensions
        elementCount = dimensions.reduce(1, *)
    }

    /// The magic number: 0x00000803 for MNIST images (uint8, rank 3), 0x00000801 for labels.
    public var magic: UInt32 { UInt32(dataType.rawValue) << 8 | UInt32(dimensions.count) }
    public var headerByteCount: Int { 4 + 4 * dimensions.count }
    public var bodyByteCount: Int { elementCount * dataType.byteWidth }

    /// The header as stored in a file.
    public func encoded() -> [UInt8] {
        ([magic] + dimensions.map { UInt32($0) }).flatMap { word in
            (0..<4).reversed().map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
        }
    }

    /// Reads the header from the start of `reader`'s data and leaves the reader at the body.
    static func read(from reader: DataFileReader) throws(DataFileError) -> IDXHeader {
        let magic = try reader.read(count: 4)
        let path = reader.path
        guard magic.count == 4 else {
            throw DataFileError(path: path, location: .byte(magic.count),
                                message: "truncated header: the data ends inside the 4-byte magic number")
        }
        guard magic[0] == 0, magic[1] == 0 else {
            let hex = magic.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
            throw DataFileError(path: path, location: .byte(0),
                                message: "bad magic number \(hex): an IDX file starts with 00 00, a type code and a rank")
        }
        guard let dataType = IDXDataType(rawValue: magic[2]) else {
            let known = IDXDataType.allCases.map { "0x" + String($0.rawValue, radix: 16).leftPadded(to: 2) }
            throw DataFileError(path: path, location: .byte(2),
                                message: "unknown IDX type code 0x\(String(magic[2], radix: 16).leftPadded(to: 2)) (known: \(known.joined(separator: ", ")))")
        }
        let rank = Int(magic[3])
        guard rank > 0 else {
            throw DataFileError(path: path, location: .byte(3), message: "the IDX rank (dimension count) is 0")
        }
        let words = try reader.read(count: 4 * rank)
        guard words.count == 4 * rank else {
            throw DataFileError(path: path, location: .byte(4 + words.count),
                                message: "truncated header: the data ends inside the \(rank) dimensions (\(4 + 4 * rank)-byte header)")
        }
        let dimensions = (0..<rank).map { index in
            words[4 * index..<4 * index + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        guard bodyByteCount(of: dataType, dimensions) != nil else {
            throw DataFileError(path: path, location: .byte(4),
                                message: "dimensions \(dimensions) of \(dataType) describe more bytes than can be addressed")
        }
        return IDXHeader(dataType: dataType, dimensions: dimensions)
    }

    /// The bytes of a body of `dimensions` elements of `dataType`, or nil when that overflows `Int`.
    static func bodyByteCount(of dataType: IDXDataType, _ dimensions: [Int]) -> Int? {
        var byteCount = dataType.byteWidth
        for dimension in dimensions {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            byteCount = product
        }
        return byteCount
    }

    /// The length of data holding exactly this header and its body.
    public var dataLength: Int { headerByteCount + bodyByteCount }

    /// The error for data of `dataLength` bytes (header included), which is not `self.dataLength`;
    /// `stated` names where the length came from.
    func lengthError(dataLength: Int, path: String, stated: String) -> DataFileError {
        let need = "dimensions \(dimensions) of \(dataType) need \(bodyByteCount) bytes after the \(headerByteCount)-byte header"
        if dataLength < self.dataLength {
            return DataFileError(path: path, location: .byte(dataLength),
                                 message: "truncated body: \(need), but \(stated) ends at byte \(dataLength)")
        }
        return DataFileError(path: path, location: .byte(self.dataLength),
                             message: "unexpected bytes after the body: \(need), but \(stated) continues to byte \(dataLength)")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
