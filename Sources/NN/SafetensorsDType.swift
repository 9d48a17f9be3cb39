/// The element types of the safetensors format that convert to and from `Float`: a file's tensors
/// are read into `Float` from any of them, and written in the dtype each `NamedTensor` names
/// (F32 by default; I64 for counters such as BatchNorm's `num_batches_tracked`, as PyTorch).
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

extension SafetensorsDType {
    /// Encodes `values` little-endian into `destination` (`values.count × byteSize` bytes). Returns the
    /// index of the first value this dtype cannot hold (a fraction or out of range for an integer
    /// type, not 0 or 1 for BOOL), having written nothing meaningful, or nil on success. Floating
    /// types round to nearest even.
    func encode(_ values: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawPointer) -> Int? {
        switch self {
        case .f64: for (i, v) in values.enumerated() { store(Double(v).bitPattern, destination, i) }
        case .f32: for (i, v) in values.enumerated() { store(v.bitPattern, destination, i) }
        case .f16: for (i, v) in values.enumerated() { store(halfBits(from: v), destination, i) }
        case .bf16: for (i, v) in values.enumerated() { store(bfloat16Bits(from: v), destination, i) }
        case .i64: return encodeIntegers(values, as: Int64.self, into: destination)
        case .i32: return encodeIntegers(values, as: Int32.self, into: destination)
        case .i16: return encodeIntegers(values, as: Int16.self, into: destination)
        case .i8: return encodeIntegers(values, as: Int8.self, into: destination)
        case .u8: return encodeIntegers(values, as: UInt8.self, into: destination)
        case .bool: return values.firstIndex { $0 != 0 && $0 != 1 } ?? encodeIntegers(values, as: UInt8.self, into: destination)
        }
        return nil
    }

    private func encodeIntegers<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<Float>, as _: T.Type,
                                                      into destination: UnsafeMutableRawPointer) -> Int? {
        for (i, v) in values.enumerated() {
            guard let integer = T(exactly: v) else { return i }
            store(integer, destination, i)
        }
        return nil
    }
}

/// Stores `value` little-endian as element `index` of an array of `T` at an arbitrarily aligned address.
@inline(__always)
private func store<T: FixedWidthInteger>(_ value: T, _ bytes: UnsafeMutableRawPointer, _ index: Int) {
    bytes.storeBytes(of: value.littleEndian, toByteOffset: index * MemoryLayout<T>.size, as: T.self)
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

/// binary32 → IEEE 754 binary16, rounding to nearest even (overflow → ±∞, NaN stays NaN).
private func halfBits(from value: Float) -> UInt16 {
    let bits = value.bitPattern
    let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
    let exponent = Int((bits >> 23) & 0xFF) - 127 + 15
    var mantissa = bits & 0x7F_FFFF
    if (bits >> 23) & 0xFF == 0xFF { return sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200) }
    if exponent >= 0x1F { return sign | 0x7C00 }
    if exponent <= 0 {
        guard exponent >= -10 else { return sign }
        mantissa |= 0x80_0000
        return sign | UInt16(roundedShift(mantissa, by: UInt32(14 - exponent)))
    }
    // A carry out of the mantissa correctly increments the exponent (up to ∞).
    return sign | UInt16(roundedShift(UInt32(exponent) << 23 | mantissa, by: 13))
}

/// binary32 → bfloat16 (the high half), rounding to nearest even; NaN stays NaN.
private func bfloat16Bits(from value: Float) -> UInt16 {
    value.isNaN ? 0x7FC0 : UInt16(roundedShift(value.bitPattern, by: 16))
}

/// `value >> shift` rounded to nearest, ties to even.
private func roundedShift(_ value: UInt32, by shift: UInt32) -> UInt32 {
    let kept = value >> shift
    let remainder = value & ((1 << shift) - 1), half = UInt32(1) << (shift - 1)
    return remainder > half || (remainder == half && kept & 1 == 1) ? kept + 1 : kept
}
