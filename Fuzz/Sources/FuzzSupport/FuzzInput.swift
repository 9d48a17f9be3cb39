/// A fuzzer's input as a mode byte, whose bits choose how the rest is used, and the rest.
public struct FuzzInput {
    /// The first byte (0 for an empty input).
    public let mode: UInt8
    /// The bytes after the mode byte.
    public let payload: [UInt8]

    /// The `count` bytes libFuzzer hands over at `data` (nil when `count` is 0).
    public init(_ data: UnsafePointer<UInt8>?, _ count: Int) {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        mode = bytes.first ?? 0
        payload = Array(bytes.dropFirst())
    }

    /// Whether bit `bit` (0 = lowest) of the mode byte is set.
    public func flag(_ bit: Int) -> Bool { mode & (1 << bit) != 0 }
}
