import FuzzSupport
import NNData

/// Reads the payload as an IDX file (see `dataFile(from:named:)` for the mode byte), whole and
/// header-only. When the whole file reads, the header-only read must agree, every element must
/// convert, and writing the elements back must give the file's bytes again (for a plain file whose
/// values the writer takes: NaN is refused).
func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(data, count)
    let path = dataFile(from: input, named: "fuzz-idx")
    let header = try? IDXFile.readHeader(path: path)
    guard let file = try? IDXFile.read(path: path) else { return 0 }
    invariant(header == file.header, "the header-only read gave \(String(describing: header)), the whole read \(file.header)")
    invariant(file.body.count == file.header.bodyByteCount, "body of \(file.body.count) bytes for \(file.header)")
    let elements = file.header.elementCount
    if elements > 0 {
        var converted = [Float](repeating: 0, count: elements)
        converted.withUnsafeMutableBufferPointer { file.convert(start: 0, count: elements, into: $0.baseAddress!) }
    }
    let values = (0..<elements).map(file.value(at:))
    let rewritten = ScratchDirectory.write([], named: "fuzz-idx-rewritten")
    guard (try? IDXFile.write(dataType: file.header.dataType, dimensions: file.header.dimensions, values: values,
                              to: rewritten, compressed: false)) != nil else { return 0 }
    let reread = try? IDXFile.read(path: rewritten)
    invariant(reread?.header == file.header && reread?.body == file.body, "writing \(file.header)'s values back changed them")
    if !input.flag(0) && !input.payload.starts(with: [0x1F, 0x8B]) {
        invariant(file.header.encoded() + file.body == input.payload, "the file is not its header and body")
    }
    return 0
}
