/// The header of a NumPy `.npy` file holding float32 values: `\x93NUMPY`, a version, the header
/// length, then a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces to a multiple
/// of 64 bytes and ended by a newline; the elements follow, little-endian, in C (row-major) order.
///
/// Only little-endian float32 (`<f4`) in C order is accepted: the form `np.save` writes for
/// `x.astype(np.float32)`. Other element types are refused with that conversion as the hint.
public struct NPYHeader: Equatable, Sendable {
    public let shape: [Int]
    /// The product of the dimensions (1 for a scalar's empty shape).
    public let elementCount: Int
    /// Bytes before the first element (magic, version, length field, dict and padding).
    public let headerByteCount: Int

    public static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// A header for `shape`, as `np.save` would write it (version 1.0).
    public init(shape: [Int]) {
        self.shape = shape
        elementCount = shape.reduce(1, *)
        headerByteCount = Self.encodedDictionary(shape).count + 10
    }

    private init(shape: [Int], elementCount: Int, headerByteCount: Int) {
        self.shape = shape
        self.elementCount = elementCount
        self.headerByteCount = headerByteCount
    }

    /// The bytes of the elements.
    public var bodyByteCount: Int { elementCount * 4 }

    /// The header as stored in a file (version 1.0, 64-byte aligned); `comment` (a Python comment,
    /// `# …`, which NumPy's parser skips) ends the header line when given.
    public func encoded(comment: String? = nil) -> [UInt8] {
        let dictionary = Self.encodedDictionary(shape, comment: comment)
        let length = UInt16(dictionary.count)
        return Self.magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + dictionary
    }

    /// The dict, padded with spaces so that magic, version, length and dict end on a multiple of 64
    /// bytes, then the comment, newline last.
    private static func encodedDictionary(_ shape: [Int], comment: String? = nil) -> [UInt8] {
        let dimensions = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var text = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dimensions)), }"
        let ending = comment.map { " " + $0 } ?? ""
        let unpadded = 10 + text.utf8.count + ending.utf8.count + 1
        text += String(repeating: " ", count: (64 - unpadded % 64) % 64) + ending + "\n"
        return Array(text.utf8)
    }

    /// The largest header dict read (NumPy itself refuses more than 10,000 bytes by default).
    static let maximumDictionaryLength = 1 << 16

    /// Reads the header from the start of `reader`'s data and leaves the reader at the body.
    static func read(from reader: DataFileReader) throws(DataFileError) -> NPYHeader {
        let path = reader.path
        func failure(_ offset: Int, _ message: String) -> DataFileError {
            DataFileError(path: path, location: .byte(offset), message: message)
        }
        let start = try reader.read(count: 8)
        guard start.count == 8, Array(start[0..<6]) == magic else {
            throw failure(0, "not a .npy file: it does not start with \\x93NUMPY")
        }
        let version = start[6]
        let lengthBytes: Int
        switch version {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4
        default: throw failure(6, ".npy version \(version).\(start[7]) is not 1, 2 or 3")
        }
        let lengthField = try reader.read(count: lengthBytes)
        guard lengthField.count == lengthBytes else { throw failure(8, "the header ends before its length") }
        let length = lengthField.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard length <= maximumDictionaryLength else {
            throw failure(8, "the header states a dict of \(length) bytes, more than \(maximumDictionaryLength)")
        }
        let dictionary = try reader.read(count: length)
        guard dictionary.count == length else { throw failure(8 + lengthBytes, "the header ends before its \(length)-byte dict") }
        let fields: NPYDictionary
        do {
            fields = try NPYDictionary(parsing: dictionary)
        } catch {
            throw failure(8 + lengthBytes + error.offset, "the header dict is malformed: \(error.message)")
        }
        guard fields.descr == "<f4" else {
            throw failure(8 + lengthBytes, "elements of type '\(fields.descr)' are not float32 ('<f4'); save x.astype(np.float32)")
        }
        guard !fields.fortranOrder else {
            throw failure(8 + lengthBytes, "the array is in Fortran order; save np.ascontiguousarray(x)")
        }
        var count = 1
        for size in fields.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Int.max / 4 else { throw failure(8 + lengthBytes, "the shape \(fields.shape) is too large") }
            count = product
        }
        return NPYHeader(shape: fields.shape, elementCount: count, headerByteCount: 8 + lengthBytes + length)
    }
}

/// The three fields of a `.npy` header dict, parsed from its Python literal.
struct NPYDictionary {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// A parse failure at `offset` bytes into the dict.
    struct ParseError: Error {
        var offset: Int
        var message: String
    }

    init(parsing bytes: [UInt8]) throws(ParseError) {
        var scanner = Scanner(bytes: bytes)
        var descr: String?, fortranOrder: Bool?, shape: [Int]?
        try scanner.expect(UInt8(ascii: "{"))
        while try scanner.peekSkippingSpaces() != UInt8(ascii: "}") {
            let keyOffset = scanner.position
            let key = try scanner.string()
            try scanner.expect(UInt8(ascii: ":"))
            switch key {
            case "descr": descr = try scanner.string()
            case "fortran_order": fortranOrder = try scanner.boolean()
            case "shape": shape = try scanner.tuple()
            default: throw ParseError(offset: keyOffset, message: "unknown key '\(key)'")
            }
            if try scanner.peekSkippingSpaces() == UInt8(ascii: ",") { scanner.position += 1 }
        }
        guard let descr, let fortranOrder, let shape else {
            throw ParseError(offset: 0, message: "it needs 'descr', 'fortran_order' and 'shape'")
        }
        self.descr = descr
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    /// Reads Python literals front to back.
    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        mutating func peekSkippingSpaces() throws(ParseError) -> UInt8 {
            while position < bytes.count, bytes[position] == UInt8(ascii: " ") { position += 1 }
            guard position < bytes.count else { throw ParseError(offset: position, message: "it ends early") }
            return bytes[position]
        }

        mutating func expect(_ byte: UInt8) throws(ParseError) {
            guard try peekSkippingSpaces() == byte else {
                throw ParseError(offset: position, message: "expected '\(Character(Unicode.Scalar(byte)))'")
            }
            position += 1
        }

        /// A quoted string ('…' or "…") of printable ASCII.
        mutating func string() throws(ParseError) -> String {
            let quote = try peekSkippingSpaces()
            guard quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
                throw ParseError(offset: position, message: "expected a quoted string")
            }
            let start = position + 1
            guard let end = bytes[start...].firstIndex(of: quote) else { throw ParseError(offset: position, message: "an unterminated string") }
            let text = bytes[start..<end]
            guard text.allSatisfy({ (0x20..<0x7F).contains($0) }) else {
                throw ParseError(offset: start, message: "a string with a byte that is not printable ASCII")
            }
            position = end + 1
            return String(decoding: text, as: UTF8.self)
        }

        mutating func boolean() throws(ParseError) -> Bool {
            _ = try peekSkippingSpaces()
            for (word, value) in [("True", true), ("False", false)] where bytes[position...].starts(with: word.utf8) {
                position += word.utf8.count
                return value
            }
            throw ParseError(offset: position, message: "expected True or False")
        }

        /// `()`, `(3,)` or `(3, 4)`: non-negative integers.
        mutating func tuple() throws(ParseError) -> [Int] {
            try expect(UInt8(ascii: "("))
            var values: [Int] = []
            while try peekSkippingSpaces() != UInt8(ascii: ")") {
                let start = position
                var value = 0
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                    let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = shifted.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
                    guard !overflow1, !overflow2 else { throw ParseError(offset: start, message: "a dimension too large") }
                    value = sum
                    position += 1
                }
                guard position > start else { throw ParseError(offset: start, message: "expected a dimension") }
                values.append(value)
                if try peekSkippingSpaces() == UInt8(ascii: ",") { position += 1 }
            }
            position += 1
            return values
        }
    }
}
