/// Inflates the first bytes of a gzip file (RFC 1952 around RFC 1951 deflate), enough to read a
/// data file's header without zlib and without decompressing the whole file.
enum GzipPrefix {
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    /// The first `limit` uncompressed bytes of the gzip data `bytes` (fewer if the stream ends).
    static func inflate(_ bytes: [UInt8], upTo limit: Int) throws(Failure) -> [UInt8] {
        var reader = BitReader(bytes: bytes, position: try deflateStart(bytes))
        var output: [UInt8] = []
        var isFinal = false
        while !isFinal, output.count < limit {
            isFinal = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0:
                try reader.storedBlock(into: &output, limit: limit)
            case 1:
                try reader.huffmanBlock(literals: Huffman.fixedLiterals, distances: Huffman.fixedDistances, into: &output, limit: limit)
            case 2:
                let (literals, distances) = try reader.dynamicTables()
                try reader.huffmanBlock(literals: literals, distances: distances, into: &output, limit: limit)
            default:
                throw Failure(offset: reader.position, reason: "invalid deflate block type")
            }
        }
        return Array(output.prefix(limit))
    }

    /// The offset of the deflate stream after the gzip header (magic, method, flags and optional fields).
    private static func deflateStart(_ bytes: [UInt8]) throws(Failure) -> Int {
        guard bytes.count >= 10, bytes[0] == 0x1F, bytes[1] == 0x8B, bytes[2] == 8 else {
            throw Failure(offset: 0, reason: "no gzip signature 1f 8b 08")
        }
        let flags = bytes[3]
        var position = 10
        if flags & 4 != 0 {
            guard position + 2 <= bytes.count else { throw Failure(offset: position, reason: "header cut short") }
            position += 2 + Int(bytes[position]) + Int(bytes[position + 1]) << 8
        }
        for flag: UInt8 in [8, 16] where flags & flag != 0 {
            while position < bytes.count, bytes[position] != 0 { position += 1 }
            position += 1
        }
        if flags & 2 != 0 { position += 2 }
        guard position < bytes.count else { throw Failure(offset: position, reason: "header cut short") }
        return position
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
private struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int] = []

    init(lengths: [Int]) {
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        for length in 1..<16 {
            for (symbol, symbolLength) in lengths.enumerated() where symbolLength == length { symbols.append(symbol) }
        }
    }

    static let fixedLiterals = Huffman(
        lengths: [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24)
            + [Int](repeating: 8, count: 8))
    static let fixedDistances = Huffman(lengths: [Int](repeating: 5, count: 30))
}

/// Reads deflate's bit stream (least significant bit first) and decodes its blocks.
private struct BitReader {
    let bytes: [UInt8]
    var position: Int
    var bitBuffer = 0
    var bitCount = 0

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
        8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    init(bytes: [UInt8], position: Int) {
        self.bytes = bytes
        self.position = position
    }

    mutating func bits(_ count: Int) throws(GzipPrefix.Failure) -> Int {
        while bitCount < count {
            guard position < bytes.count else { throw GzipPrefix.Failure(offset: position, reason: "compressed data ends early") }
            bitBuffer |= Int(bytes[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let value = bitBuffer & ((1 << count) - 1)
        bitBuffer >>= count
        bitCount -= count
        return value
    }

    mutating func decode(_ code: Huffman) throws(GzipPrefix.Failure) -> Int {
        var value = 0
        var first = 0
        var index = 0
        for length in 1..<16 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - count < first { return code.symbols[index + value - first] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw GzipPrefix.Failure(offset: position, reason: "invalid Huffman code")
    }

    mutating func storedBlock(into output: inout [UInt8], limit: Int) throws(GzipPrefix.Failure) {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= bytes.count else { throw GzipPrefix.Failure(offset: position, reason: "stored block cut short") }
        let length = Int(bytes[position]) | Int(bytes[position + 1]) << 8
        position += 4
        let end = min(position + length, bytes.count, position + limit - output.count)
        output += bytes[position..<end]
        position = end
    }

    mutating func dynamicTables() throws(GzipPrefix.Failure) -> (Huffman, Huffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        var codeLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengths[Self.codeLengthOrder[index]] = try bits(3) }
        let codeLengthCode = Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengthCode)
            switch symbol {
            case 0..<16:
                lengths.append(symbol)
            case 16:
                guard let last = lengths.last else { throw GzipPrefix.Failure(offset: position, reason: "repeat with no length") }
                lengths += [Int](repeating: last, count: 3 + (try bits(2)))
            case 17:
                lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
            default:
                lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else {
            throw GzipPrefix.Failure(offset: position, reason: "code lengths overrun")
        }
        return (Huffman(lengths: Array(lengths[..<literalCount])), Huffman(lengths: Array(lengths[literalCount...])))
    }

    mutating func huffmanBlock(
        literals: Huffman, distances: Huffman, into output: inout [UInt8], limit: Int
    ) throws(GzipPrefix.Failure) {
        while output.count < limit {
            let symbol = try decode(literals)
            if symbol < 256 {
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < Self.lengthBase.count else { throw GzipPrefix.Failure(offset: position, reason: "invalid length code") }
            let length = Self.lengthBase[lengthIndex] + (try bits(Self.lengthExtra[lengthIndex]))
            let distanceIndex = try decode(distances)
            guard distanceIndex < Self.distanceBase.count else {
                throw GzipPrefix.Failure(offset: position, reason: "invalid distance code")
            }
            let distance = Self.distanceBase[distanceIndex] + (try bits(Self.distanceExtra[distanceIndex]))
            guard distance <= output.count else { throw GzipPrefix.Failure(offset: position, reason: "distance before the start") }
            for _ in 0..<length { output.append(output[output.count - distance]) }
        }
    }
}
