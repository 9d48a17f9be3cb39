/// The bytes of a safetensors file from a fuzzer's input. With the mode byte's bit 0 clear, the
/// payload is the file as it is. With it set, the payload is the header JSON, a NUL byte and the
/// data section, and the 8-byte little-endian header length is put in front: mutations of the
/// JSON then keep a consistent length and reach the header's checks instead of the length check.
public func safetensorsBytes(from input: FuzzInput) -> [UInt8] {
    guard input.flag(0) else { return input.payload }
    let separator = input.payload.firstIndex(of: 0) ?? input.payload.endIndex
    let header = input.payload[..<separator]
    let data = input.payload[min(separator + 1, input.payload.endIndex)...]
    let length = UInt64(header.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + header + data
}

