/// The element types of the safetensors format this reader converts to `Float`.
/// Writing always uses `F32`.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }

    /// Decodes `count` little-endian elements starting at `bytes` into `destination`.
    func decode(_ bytes: UnsafeRawPointer, count: Int, into destination: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .f64:
            for i in 0..<count { destination[i] = Float(Double(bitPattern: load(UInt64.self, bytes, i))) }
        case .f32:
            for i in 0..<count { destination[i] = Float(bitPattern: load(UInt32.self, bytes, i)) }
        case .f16:
            for i in 0..<count { destination[i] = floatFromHalfBits(load(UInt16.self, bytes, i)) }
        case .bf16:
            for i in 0..<count { destination[i] = Float(bitPattern: UInt32(load(UInt16.self, bytes, i)) << 16) }
        case .i64:
            for i in 0..<count { destination[i] = Float(Int64(bitPattern: load(UInt64.self, bytes, i))) }
        case .i32:
            for i in 0..<count { destination[i] = Float(Int32(bitPattern: load(UInt32.self, bytes, i))) }
        case .i16:
            for i in 0..<count { destination[i] = Float(Int16(bitPattern: load(UInt16.self, bytes, i))) }
        case .i8:
            for i in 0..<count { destination[i] = Float(Int8(bitPattern: bytes.load(fromByteOffset: i, as: UInt8.self))) }
        case .u8, .bool:
            for i in 0..<count { destination[i] = Float(bytes.load(fromByteOffset: i, as: UInt8.self)) }
        }
    }
}

/// Element `index` of a little-endian array of `T` at an arbitrarily aligned address.
@inline(__always)
private func load<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawPointer, _ index: Int) -> T {
    T(littleEndian: bytes.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
}

/// IEEE 754 binary16 → binary32 (exact; handles subnormals, infinities and NaN).
private func floatFromHalfBits(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = Int(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    case 0x1F:
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    default:
        return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
    }
}
