import NNData

/// Writes a data-reader fuzzer's payload to a scratch file the way its mode byte says: bit 0
/// gzip-compresses it first (so the payload's mutations reach the format reader through the
/// decompressor; with the bit clear, payloads that start with the gzip magic test the decompressor
/// itself), bit 1 gives the file a `.gz` name. Returns the file's path.
public func dataFile(from input: FuzzInput, named name: String) -> String {
    let path = ScratchDirectory.write([], named: input.flag(1) ? name + ".gz" : name)
    do {
        try DataFileWriter.write(input.payload, to: path, compressed: input.flag(0))
    } catch {
        fatalError("cannot write the scratch data file: \(error)")
    }
    return path
}
